import Foundation
import NumeralRecognition
import NumeralSession
import NumeralStore
import NumeralUI
import NumeralVision
import XCTest

/// The camera view's whole path on recorded video, without a window: GStreamer reads the clip
/// off the UI thread, the photo reader and the shipped model read each frame, Capture logs the
/// frozen reading as `camera` in a real log, feedback lands on its row; and the ways a source
/// goes missing or stops.
final class CameraControllerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-camera-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func shippedService() throws -> ModelRecognitionService {
        let path = CameraClips.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path
        return ModelRecognitionService(recognizer: Recognizer(model: try DigitModel.load(weightsPath: path)))
    }

    /// Drains the controller's inbox until `done` holds or `timeout` passes.
    @discardableResult
    private func pump(_ controller: CameraController, timeout: Double, until done: (CameraState) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            controller.drainInbox()
            if done(controller.state) { return true }
            usleep(5_000)
        }
        return done(controller.state)
    }

    private func key(_ k: Key) -> CameraEvent { .key(KeyPress(k, time: 0, stamp: LocalTimestamp(date: Date(), timeZone: .current))) }

    func testARecordedClipIsReadLiveCapturedLoggedAsCameraAndTakesFeedback() throws {
        // "72" then "1": MNIST test digits 0 (a 7), 1 (a 2) and 2 (a 1).
        let photos = try CameraClips.photos([[0, 1], [2]], seed: 5)
        XCTAssertEqual(photos.map(\.label), ["72", "1"])
        let clip = try CameraClips.clip(photos, framesEach: 30, fps: 15, in: directory)
        let store = try PredictionStore(directory: directory.appendingPathComponent("log").path)
        let logger = StorePredictionLog(store: store)
        let services = CameraServices(reader: try shippedService(), logger: logger.sibling())
        let controller = CameraController(state: CameraState(source: .recording(clip)), services: services, inbox: Inbox<CameraEvent>())

        controller.send(.open(nil))
        XCTAssertTrue(pump(controller, timeout: 20) { $0.steady.text == "72" }, "steady reading: \(String(describing: controller.state.steady.text)), "
                      + "live \(String(describing: controller.state.reading?.text)), phase \(controller.state.phase)")
        let state = controller.state
        XCTAssertTrue(state.isLive)
        XCTAssertEqual(state.frame?.width, 640)
        let reading = try XCTUnwrap(state.reading)
        XCTAssertEqual(reading.numbers.count, 1)
        for (box, truth) in zip(reading.numbers[0].boxes, photos[0].boxes) {
            XCTAssertGreaterThan(box.overlap(truth), 0.5, "each digit's box is where it was written")
        }

        controller.send(key(.space))
        let capture = try XCTUnwrap(controller.state.capture)
        XCTAssertEqual(capture.reading.text, "72")
        XCTAssertEqual(capture.reading.digits.map(\.input.width), [28, 28], "each digit's 28×28 input for the inset and strip")
        XCTAssertTrue(pump(controller, timeout: 10) { if case .logged? = $0.capture?.log { return true } else { return false } })
        controller.send(key(.digit(3)))   // the first digit corrected: "32"
        XCTAssertTrue(pump(controller, timeout: 10) { $0.capture?.feedback == .recorded(actual: "32") })

        let rows = try store.all()
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.inputType, .camera)
        XCTAssertEqual(rows.first?.predicted, "72")
        XCTAssertEqual(rows.first?.actual, "32")
        XCTAssertEqual(rows.first?.input?.count, 2 * 28 * 28, "the digits' model inputs are logged")
        // The dashboard counts it under camera (filter and tile), and its CSV export carries it.
        let loader = DashboardLoader(source: DashboardSource(logDirectory: directory.appendingPathComponent("log").path,
                                                             modelPath: directory.appendingPathComponent("none.safetensors").path))
        guard case .success(let data, _) = loader.load(DashboardQuery(input: .camera)) else { return XCTFail("dashboard load failed") }
        XCTAssertEqual(data.report.summary.total, 1)
        XCTAssertEqual(data.countsByInputType.first { $0.type == .camera }?.count, 1)
        guard case .success(let canvasOnly, _) = loader.load(DashboardQuery(input: .canvas)) else { return XCTFail() }
        XCTAssertEqual(canvasOnly.report.summary.total, 0)
        let csv = directory.appendingPathComponent("camera.csv").path
        XCTAssertEqual(try loader.exportCSV(DashboardQuery(input: .camera), to: csv), 1)
        XCTAssertTrue(try String(contentsOfFile: csv, encoding: .utf8).contains(",camera,"))

        // Back to the live view: the clip goes on to the "1", then ends, and the view says so.
        controller.send(key(.space))
        XCTAssertTrue(pump(controller, timeout: 20) { $0.steady.text == "1" })
        XCTAssertTrue(pump(controller, timeout: 20) { if case .stopped = $0.phase { return true } else { return false } })
        guard case .stopped(_, let message) = controller.state.phase else { return XCTFail() }
        XCTAssertEqual(message, "The recording clip.avi ended. Press R to play it again.")
        XCTAssertGreaterThan(controller.state.framesShown, 20)
        controller.shutDown()
    }

    func testASlowReaderDropsFramesInsteadOfQueueingThem() throws {
        let photos = try CameraClips.photos([[3]], seed: 6)
        let clip = try CameraClips.clip(photos, framesEach: 45, fps: 30, in: directory)   // 1.5 s
        let reader = SlowReader(seconds: 0.2)
        let controller = CameraController(state: CameraState(source: .recording(clip)),
                                          services: CameraServices(reader: reader), inbox: Inbox<CameraEvent>())
        let started = Date()
        controller.send(.open(nil))
        XCTAssertTrue(pump(controller, timeout: 20) { if case .stopped = $0.phase { return true } else { return false } })
        let elapsed = Date().timeIntervalSince(started)
        controller.waitForBackgroundWork()
        controller.drainInbox()
        let state = controller.state
        XCTAssertGreaterThan(state.framesShown, 30, "the preview kept up with the clip")
        XCTAssertLessThan(state.framesRead, 15, "a 0.2 s reader reads about 5 frames a second")
        XCTAssertGreaterThan(state.framesRead, 2)
        XCTAssertLessThan(elapsed, 4, "nothing queued up behind the reader: the view ends with the clip")
        XCTAssertLessThanOrEqual(reader.maxConcurrent, 1)
        XCTAssertGreaterThan(state.reading?.frameIndex ?? 0, 25, "the reader took the newest frames, not the first ones")
        XCTAssertFalse(reader.calledOnMainThread)
        controller.shutDown()
    }

    func testAMissingClipABrokenOneAndNoCameraAreMessages() throws {
        let missing = CameraController(state: CameraState(source: .recording(directory.appendingPathComponent("none.avi").path)),
                                       services: CameraServices(), inbox: Inbox<CameraEvent>())
        missing.send(.open(nil))
        XCTAssertTrue(pump(missing, timeout: 10) { if case .stopped = $0.phase { return true } else { return false } })
        guard case .stopped(_, let message) = missing.state.phase else { return XCTFail() }
        XCTAssertTrue(message.contains("there is no such file") && message.contains("Press R"), message)

        // Not a video at all.
        let text = directory.appendingPathComponent("notes.avi")
        try Data("not a video".utf8).write(to: text)
        let broken = CameraController(state: CameraState(source: .recording(text.path)),
                                      services: CameraServices(startTimeout: 5), inbox: Inbox<CameraEvent>())
        broken.send(.open(nil))
        XCTAssertTrue(pump(broken, timeout: 15) { if case .stopped = $0.phase { return true } else { return false } })
        guard case .stopped(_, let brokenMessage) = broken.state.phase else { return XCTFail() }
        XCTAssertTrue(brokenMessage.contains("notes.avi"), brokenMessage)

        // No /dev/video*: the message says how to go on.
        let none = CameraController(state: CameraState(), services: CameraServices(listDevices: { [] }), inbox: Inbox<CameraEvent>())
        none.send(.open(nil))
        XCTAssertTrue(pump(none, timeout: 5) { if case .stopped = $0.phase { return true } else { return false } })
        // A device node that vanished (unplugged before it opened).
        let gone = CameraController(state: CameraState(), services: CameraServices(listDevices: {
            [CameraDevice(path: "/dev/video-numeral-gone-0"), CameraDevice(path: "/dev/video-numeral-gone-1")]
        }), inbox: Inbox<CameraEvent>())
        gone.send(.open(nil))
        XCTAssertTrue(pump(gone, timeout: 5) { if case .choosing = $0.phase { return true } else { return false } })
        gone.send(key(.digit(2)))
        XCTAssertTrue(pump(gone, timeout: 5) { if case .stopped = $0.phase { return true } else { return false } })
        guard case .stopped(.device("/dev/video-numeral-gone-1"), let goneMessage) = gone.state.phase else { return XCTFail("\(gone.state.phase)") }
        XCTAssertTrue(goneMessage.contains("no such device"), goneMessage)
    }

    func testAStreamThatFailsMidwayShowsTheMessage() throws {
        // A clip cut off in the middle: frames come, then the stream stops (error or early end).
        let photos = try CameraClips.photos([[4]], seed: 7)
        let clip = try CameraClips.clip(photos, framesEach: 30, fps: 30, in: directory)
        let data = try Data(contentsOf: URL(fileURLWithPath: clip))
        let cut = directory.appendingPathComponent("cut.avi")
        try data.prefix(data.count / 2).write(to: cut)
        let controller = CameraController(state: CameraState(source: .recording(cut.path)),
                                          services: CameraServices(reader: try shippedService()), inbox: Inbox<CameraEvent>())
        controller.send(.open(nil))
        XCTAssertTrue(pump(controller, timeout: 20) { if case .stopped = $0.phase { return true } else { return false } })
        XCTAssertGreaterThan(controller.state.framesShown, 0, "frames came before it stopped")
        guard case .stopped(_, let message) = controller.state.phase else { return XCTFail() }
        XCTAssertTrue(message.contains("Press R"), message)
        controller.shutDown()
    }
}

/// A reader that takes its time, counting how many reads overlap.
private final class SlowReader: CameraFrameReading, @unchecked Sendable {
    private let lock = NSLock()
    private let seconds: Double
    private var running = 0
    private(set) var maxConcurrent = 0
    private(set) var calledOnMainThread = false

    init(seconds: Double) { self.seconds = seconds }

    func read(_ frame: CameraFrame) throws -> CameraReading {
        lock.lock()
        running += 1
        maxConcurrent = max(maxConcurrent, running)
        if Thread.isMainThread { calledOnMainThread = true }
        lock.unlock()
        usleep(UInt32(seconds * 1e6))
        lock.lock()
        running -= 1
        lock.unlock()
        return CameraReading(frameIndex: frame.index, numbers: [], latencyMs: seconds * 1000, modelID: "slow")
    }
}
