import Foundation
import NumeralVision
import XCTest

/// `numeral predict` on JPEG photos and `numeral camera` on recorded clips, end to end.
final class PhotoCameraCommandTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try CLIRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func mnist() throws -> MNISTDataset {
        let folder = CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"]
        for candidate in [env, folder].compactMap({ $0 }) {
            if let test = try? MNISTDataset.load(directory: candidate, split: .test) { return test }
        }
        throw XCTSkip("MNIST not found")
    }

    /// Synthetic photos of numbers (MNIST test digits), one per condition, as JPEG files.
    private func photos(_ count: Int, seed: UInt64) throws -> [(path: String, photo: SyntheticPhoto)] {
        let test = try mnist()
        var synthesizer = PhotoSynthesizer(seed: seed)
        let conditions = PhotoCondition.allCases
        return try (0..<count).map { i in
            let glyphs = (0..<(1 + i % 3)).map { k -> DigitGlyph in
                let index = (i * 31 + k * 7) % test.count
                return DigitGlyph(mnist: test.grayImage(at: index), label: Int(test.labels[index]))
            }
            let photo = try synthesizer.make(glyphs, condition: conditions[i % conditions.count])
            let path = dir.appendingPathComponent(String(format: "frame-%04d.jpg", i)).path
            try Data(photo.jpeg).write(to: URL(fileURLWithPath: path))
            return (path, photo)
        }
    }

    func testPredictReportsEachDigitsBoxInAPhoto() throws {
        let made = try photos(6, seed: 77)
        let out = try CLIRunner.run(["predict", "--json"] + made.map(\.path))
        let results = try out.lines.map(CLIRunner.json)
        XCTAssertEqual(results.count, made.count, out.stderr)
        var right = 0
        for (result, (_, photo)) in zip(results, made) {
            guard result["number"] as? String == photo.label else { continue }
            right += 1
            let digits = try XCTUnwrap(result["digits"] as? [[String: Any]])
            XCTAssertEqual(digits.count, photo.boxes.count)
            for (digit, truth) in zip(digits, photo.boxes) {
                let b = try XCTUnwrap(digit["box"] as? [Int])
                XCTAssertGreaterThan(PhotoBox(x: b[0], y: b[1], width: b[2], height: b[3]).overlap(truth), 0.5)
            }
            let box = try XCTUnwrap(result["box"] as? [Int], "the number's box")
            XCTAssertEqual(box.count, 4)
            XCTAssertEqual((result["numbers"] as? [[String: Any]])?.count, 1)
            XCTAssertEqual(result["width"] as? Int, 640)
        }
        XCTAssertGreaterThanOrEqual(right, 5, out.stdout)
    }

    func testPredictSaysABlankPictureHasNoDigit() throws {
        let gray = [UInt8](repeating: 128, count: 640 * 480)
        let jpeg = dir.appendingPathComponent("gray.jpg"), png = dir.appendingPathComponent("gray.png")
        try Data(try JPEGCodec.encodeGray(width: 640, height: 480, gray: gray)).write(to: jpeg)
        try PNGCodec.writeGray(path: png.path, image: GrayImage(width: 640, height: 480, fill: 0.5))
        // Issue 12: the PNG of one uniform gray was read as "0" at 93.7 %.
        let out = try CLIRunner.run(["predict", "--json", jpeg.path, png.path])
        XCTAssertEqual(out.status, 1)
        let results = try out.lines.map(CLIRunner.json)
        XCTAssertEqual(results.count, 2)
        for result in results {
            XCTAssertNil(result["number"], "no digit is not a 0: \(result)")
            XCTAssertTrue((result["error"] as? String ?? "").contains("No digit found"), "\(result)")
        }
    }

    /// A photo saved as PNG is read as a photo by its content, with or without --photo (it used
    /// to take the scan path because of its format).
    func testAPNGPhotoGoesThroughThePhotoReaderWithOrWithoutTheFlag() throws {
        let made = try photos(3, seed: 80)
        var right = 0, rightWithout = 0
        for (path, photo) in made {
            let png = path.replacingOccurrences(of: ".jpg", with: ".png")
            try PNGCodec.writeRGBA(path: png, width: photo.image.width, height: photo.image.height, rgba: photo.image.rgba)
            let withFlag = try CLIRunner.json(try CLIRunner.run(["predict", "--json", "--photo", png]).lines.first ?? "{}")
            XCTAssertNotNil(withFlag["box"] ?? withFlag["error"], "\(withFlag)")
            if withFlag["number"] as? String == photo.label { right += 1 }
            let without = try CLIRunner.json(try CLIRunner.run(["predict", "--json", png]).lines.first ?? "{}")
            XCTAssertEqual(without["read_as"] as? String, "photo", "a photo saved as PNG is still a photo: \(without)")
            if without["number"] as? String == photo.label { rightWithout += 1 }
        }
        XCTAssertGreaterThanOrEqual(right, 2)
        XCTAssertGreaterThanOrEqual(rightWithout, 2)
    }

    private func checkReadings(_ out: CLIRunner.Output, _ made: [(path: String, photo: SyntheticPhoto)],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(out.status, 0, out.stderr, file: file, line: line)
        let frames = try out.lines.map(CLIRunner.json)
        XCTAssertEqual(frames.count, made.count, out.stderr, file: file, line: line)
        var right = 0
        for (i, (frame, (_, photo))) in zip(frames, made).enumerated() {
            XCTAssertEqual(frame["frame"] as? Int, i, file: file, line: line)
            XCTAssertNotNil(frame["time"] as? Double, file: file, line: line)
            let numbers = try XCTUnwrap(frame["numbers"] as? [[String: Any]], file: file, line: line)
            if numbers.count == 1, numbers[0]["number"] as? String == photo.label {
                right += 1
                XCTAssertEqual((numbers[0]["box"] as? [Int])?.count, 4, file: file, line: line)
                XCTAssertEqual((numbers[0]["digits"] as? [Any])?.count, photo.label.count, file: file, line: line)
            }
        }
        XCTAssertGreaterThanOrEqual(right, made.count - 1, "frames read right: \(out.stdout)", file: file, line: line)
    }

    func testCameraReadsAnImageSequence() throws {
        let made = try photos(9, seed: 78)
        let out = try CLIRunner.run(["camera", "--source", dir.appendingPathComponent("frame-%04d.jpg").path, "--json"])
        try checkReadings(out, made)
        let limited = try CLIRunner.run(["camera", "--source", dir.appendingPathComponent("frame-%04d.jpg").path, "--frames", "2"])
        XCTAssertEqual(limited.lines.count, 2, limited.stdout + limited.stderr)
        XCTAssertTrue(limited.lines.first?.hasPrefix("frame 0") ?? false, limited.stdout)
    }

    func testCameraReadsARecordedVideo() throws {
        let made = try photos(6, seed: 79)
        guard let gst = ["/usr/bin/gst-launch-1.0", "/usr/local/bin/gst-launch-1.0"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return XCTFail("gst-launch-1.0 is missing: scripts/install-deps.sh installs gstreamer1.0-tools")
        }
        // The photos as a motion-JPEG AVI clip, the way a recording of a webcam would come.
        let clip = dir.appendingPathComponent("clip.avi").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gst)
        process.arguments = ["-q", "multifilesrc", "location=\(dir.appendingPathComponent("frame-%04d.jpg").path)", "index=0",
                             "caps=image/jpeg,framerate=10/1", "!", "jpegdec", "!", "videoconvert", "!", "jpegenc", "quality=90", "!", "avimux", "!", "filesink", "location=\(clip)"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        try checkReadings(try CLIRunner.run(["camera", "--source", clip, "--json"]), made)
    }

    func testMissingCameraAndBadSourcesFailFastWithAMessage() throws {
        let cases: [[String]] = [
            ["camera", "--device", "/dev/video-numeral-missing"],
            ["camera", "--source", "file:///nonexistent/clip.avi", "--timeout", "5"],
            ["camera", "--source", dir.appendingPathComponent("missing.avi").path],
            ["camera", "--source", "/etc/hostname", "--timeout", "5"],
        ]
        for arguments in cases {
            let started = Date()
            let out = try CLIRunner.run(arguments)
            XCTAssertEqual(out.status, 1, "\(arguments): \(out.stdout)")
            XCTAssertTrue(out.stderr.hasPrefix("numeral: "), "\(arguments): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains("Cannot open") || out.stderr.contains("stopped"), "\(arguments): \(out.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 15, "\(arguments) must not hang")
        }
    }
}
