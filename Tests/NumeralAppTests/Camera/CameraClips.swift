import Foundation
import NumeralVision
import XCTest

/// Recorded clips for the camera tests, made here from synthetic photos of MNIST test digits on
/// paper: each photo held for a number of frames (as a hand holding paper in front of a webcam),
/// encoded as a motion-JPEG AVI with gst-launch-1.0, the way a webcam recording comes.
enum CameraClips {
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func mnistTest() throws -> MNISTDataset {
        let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        for candidate in [ProcessInfo.processInfo.environment["NUMERAL_MNIST"], shared].compactMap({ $0 }) {
            if let test = try? MNISTDataset.load(directory: candidate, split: .test) { return test }
        }
        throw XCTSkip("MNIST not found (set NUMERAL_MNIST)")
    }

    /// Photos of the numbers (MNIST test digits chosen by index), one condition each.
    static func photos(_ numbers: [[Int]], seed: UInt64, conditions: [PhotoCondition] = [.clean, .gradient, .ruled]) throws -> [SyntheticPhoto] {
        let test = try mnistTest()
        var synthesizer = PhotoSynthesizer(seed: seed)
        return try numbers.enumerated().map { i, indices in
            try synthesizer.make(indices.map { DigitGlyph(mnist: test.grayImage(at: $0), label: Int(test.labels[$0])) },
                                 condition: conditions[i % conditions.count])
        }
    }

    /// A clip of `photos`, each held `framesEach` frames, at `fps`; returns its path.
    static func clip(_ photos: [SyntheticPhoto], framesEach: Int, fps: Int, in directory: URL, name: String = "clip.avi") throws -> String {
        let frames = directory.appendingPathComponent("frames-\(name)")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        var n = 0
        for photo in photos {
            for _ in 0..<framesEach {
                try Data(photo.jpeg).write(to: frames.appendingPathComponent(String(format: "%05d.jpg", n)))
                n += 1
            }
        }
        let path = directory.appendingPathComponent(name).path
        try gstLaunch(["multifilesrc", "location=\(frames.path)/%05d.jpg", "index=0", "caps=image/jpeg,framerate=\(fps)/1",
                       "!", "jpegdec", "!", "videoconvert", "!", "jpegenc", "quality=90", "!", "avimux", "!", "filesink", "location=\(path)"])
        return path
    }

    static func gstLaunch(_ arguments: [String]) throws {
        guard let gst = ["/usr/bin/gst-launch-1.0", "/usr/local/bin/gst-launch-1.0"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("gst-launch-1.0 is missing: scripts/install-deps.sh installs gstreamer1.0-tools")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gst)
        process.arguments = ["-q"] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "gst-launch-1.0 \(arguments.joined(separator: " "))")
    }
}
