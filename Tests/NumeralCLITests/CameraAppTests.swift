import Foundation
import NumeralStore
import NumeralVision
import XCTest

/// The app's camera view under X on recorded clips made here from synthetic photos: opened on a
/// clip, a frame captured with Space and confirmed with Enter lands in the log as `camera`; the
/// program's own screenshot of it; a clip that ends shows its message instead of freezing.
final class CameraAppTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil else { throw XCTSkip("no X display (make test runs under xvfb-run)") }
        dir = try CLIRunner.temporaryDirectory()
    }
    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func mnistTest() throws -> MNISTDataset {
        let shared = CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        for candidate in [ProcessInfo.processInfo.environment["NUMERAL_MNIST"], shared].compactMap({ $0 }) {
            if let test = try? MNISTDataset.load(directory: candidate, split: .test) { return test }
        }
        throw XCTSkip("MNIST not found")
    }

    /// A motion-JPEG AVI: each photo (of MNIST test digits by index, or a blank page for an
    /// empty list) held for `framesEach` frames at `fps`.
    private func clip(_ numbers: [[Int]], framesEach: Int, fps: Int, name: String = "clip.avi") throws -> (path: String, labels: [String]) {
        let test = try mnistTest()
        var synthesizer = PhotoSynthesizer(seed: 21)
        let frames = dir.appendingPathComponent("frames-\(name)")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        var labels: [String] = [], n = 0
        for indices in numbers {
            let jpeg: [UInt8]
            if indices.isEmpty {
                jpeg = try JPEGCodec.encodeGray(width: 640, height: 480, gray: [UInt8](repeating: 200, count: 640 * 480))
                labels.append("")
            } else {
                let photo = try synthesizer.make(indices.map { DigitGlyph(mnist: test.grayImage(at: $0), label: Int(test.labels[$0])) },
                                                 condition: .clean)
                jpeg = photo.jpeg
                labels.append(photo.label)
            }
            for _ in 0..<framesEach {
                try Data(jpeg).write(to: frames.appendingPathComponent(String(format: "%05d.jpg", n)))
                n += 1
            }
        }
        let path = dir.appendingPathComponent(name).path
        guard let gst = ["/usr/bin/gst-launch-1.0", "/usr/local/bin/gst-launch-1.0"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("gst-launch-1.0 is missing: scripts/install-deps.sh installs gstreamer1.0-tools")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gst)
        process.arguments = ["-q", "multifilesrc", "location=\(frames.path)/%05d.jpg", "index=0", "caps=image/jpeg,framerate=\(fps)/1",
                             "!", "jpegdec", "!", "videoconvert", "!", "jpegenc", "quality=90", "!", "avimux", "!", "filesink", "location=\(path)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return (path, labels)
    }

    private func xdotool(_ args: [String]) throws -> String { try CLIRunner.xdotool(args) }

    func testTheCameraViewCapturesAFrameAndItsFeedbackIsLoggedAsCamera() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool") else { throw XCTSkip("xdotool is not installed") }
        // "72" (MNIST test digits 0 and 1) held for 30 s: long enough for any build to read it.
        let made = try clip([[0, 1]], framesEach: 450, fps: 15)
        XCTAssertEqual(made.labels, ["72"])
        let app = Process()
        app.executableURL = URL(fileURLWithPath: try CLIRunner.binary())
        app.arguments = ["app", "--data-dir", dir.path, "--size", "1120x740", "--camera-source", made.path,
                         "--model", CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path]
        app.currentDirectoryURL = dir
        // S saves into the Pictures folder (never the current directory): here, the test's own.
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_PICTURES_DIR"] = dir.path
        app.environment = environment
        app.standardOutput = FileHandle.nullDevice
        app.standardError = FileHandle.nullDevice
        try app.run()
        defer { if app.isRunning { app.terminate() } }
        let wid = try XCTUnwrap(try xdotool(["search", "--sync", "--onlyvisible", "--name", "^Numeral$"]).split(separator: "\n").first.map(String.init))
        // Let the steady reading form, capture (Space), confirm (Enter), save a screenshot (S), quit (Q).
        _ = try xdotool(["sleep", "8", "key", "--window", wid, "space", "sleep", "1.5", "key", "--window", wid, "Return",
                         "sleep", "1.5", "key", "--window", wid, "s", "sleep", "1.5", "key", "--window", wid, "q"])
        let deadline = Date().addingTimeInterval(10)
        while app.isRunning, Date() < deadline { usleep(50_000) }
        XCTAssertFalse(app.isRunning, "Q quits from the camera view")
        XCTAssertEqual(app.terminationStatus, 0)

        let store = try PredictionStore(directory: dir.path, access: .readOnly)
        let rows = try store.all()
        XCTAssertEqual(rows.count, 1, "one capture, one record: \(rows.map { "\($0.inputType) \($0.predicted)" })")
        XCTAssertEqual(rows.first?.inputType, .camera)
        XCTAssertEqual(rows.first?.predicted, "72")
        XCTAssertEqual(rows.first?.actual, "72", "Enter confirmed it")
        let pictures = dir.appendingPathComponent("Numeral").path
        let shots = ((try? FileManager.default.contentsOfDirectory(atPath: pictures)) ?? []).filter { $0.hasPrefix("numeral-camera-") && $0.hasSuffix(".png") }
        XCTAssertEqual(shots.count, 1, "S saved the camera view in \(pictures)")
    }

    func testTheProgramsOwnScreenshotOfACapture() throws {
        let made = try clip([[2, 3, 4]], framesEach: 300, fps: 15)
        let shot = dir.appendingPathComponent("camera.png").path
        let out = try CLIRunner.run(["app", "--data-dir", dir.path, "--camera-source", made.path, "--camera-capture",
                                     "--screenshot", shot, "--model", CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("camera: captured \(made.labels[0])"), out.stdout + out.stderr)
        let picture = try PNGCodec.decode(path: shot)
        XCTAssertEqual(picture.width, 1120)
        let rows = try PredictionStore(directory: dir.path, access: .readOnly).all()
        XCTAssertEqual(rows.map(\.inputType), [.camera])
    }

    func testAClipThatEndsShowsItsMessageInTheWindow() throws {
        // A blank page for a second: no reading ever, then the stream ends (a camera unplugged
        // looks the same to the view).
        let made = try clip([[]], framesEach: 15, fps: 15, name: "short.avi")
        let shot = dir.appendingPathComponent("ended.png").path
        let out = try CLIRunner.run(["app", "--data-dir", dir.path, "--camera-source", made.path, "--screenshot", shot,
                                     "--model", CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("The recording short.avi ended. Press R to play it again."), out.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot), "the window with its message was saved")

        let missing = try CLIRunner.run(["app", "--data-dir", dir.path, "--camera", "/dev/video-numeral-missing",
                                         "--screenshot", dir.appendingPathComponent("missing.png").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/dev/video-numeral-missing") && missing.stderr.contains("no such device"), missing.stderr)
    }
}
