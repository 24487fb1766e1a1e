import Foundation
import XCTest
@testable import NumeralCapture

/// The pump that reads a source on its own thread (GStreamer's test sources, no camera needed).
final class FramePumpTests: XCTestCase {
    /// Collects a pump's events and waits for the last one.
    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [FramePump.Event] = []
        let finished = XCTestExpectation(description: "the stream ended or failed")
        func record(_ event: FramePump.Event) {
            lock.lock()
            events.append(event)
            lock.unlock()
            switch event {
            case .ended, .failed: finished.fulfill()
            case .started, .frame: break
            }
        }
        var all: [FramePump.Event] { lock.lock(); defer { lock.unlock() }; return events }
        var frames: [CaptureFrame] { all.compactMap { if case .frame(let f) = $0 { return f } else { return nil } } }
    }

    private func source(frames: Int, live: Bool = false, rate: Int = 30) -> String {
        "videotestsrc num-buffers=\(frames) pattern=ball is-live=\(live) ! video/x-raw,width=64,height=48,framerate=\(rate)/1"
            + " ! videoconvert ! video/x-raw,format=GRAY8 ! appsink name=sink max-buffers=1 drop=true sync=\(live)"
    }

    func testFramesArriveOnThePumpsThreadThenTheEnd() {
        let recorder = Recorder()
        let pump = FramePump(description: source(frames: 5), sourceName: "test") { recorder.record($0) }
        pump.start()
        wait(for: [recorder.finished], timeout: 10)
        let events = recorder.all
        guard case .started? = events.first, case .ended? = events.last else { return XCTFail("\(events)") }
        XCTAssertFalse(recorder.frames.isEmpty)
        XCTAssertEqual(recorder.frames.map(\.index), Array(0..<recorder.frames.count))
    }

    func testStartReturnsAtOnceAndAMissingSourceFailsOnThePumpsThread() {
        let recorder = Recorder()
        let started = Date()
        let pump = FramePump(source: .media("file:///nonexistent/numeral-clip.avi"), startTimeout: 5) { recorder.record($0) }
        pump.start()
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5, "start() never waits for the source")
        wait(for: [recorder.finished], timeout: 10)
        guard case .failed(let error)? = recorder.all.last else { return XCTFail("\(recorder.all)") }
        XCTAssertTrue(error.description.contains("numeral-clip.avi"), error.description)
    }

    func testAStalledSourceFailsAfterTheFrameTimeout() {
        let recorder = Recorder()
        let description = "videotestsrc is-live=true ! video/x-raw,width=32,height=32,framerate=30/1 ! valve drop=true"
            + " ! videoconvert ! video/x-raw,format=GRAY8 ! appsink name=sink max-buffers=1 drop=true sync=false"
        let pump = FramePump(description: description, sourceName: "stalled", startTimeout: 1, frameTimeout: 1) { recorder.record($0) }
        pump.start()
        wait(for: [recorder.finished], timeout: 10)
        guard case .failed(.timedOut(let name, _))? = recorder.all.last else { return XCTFail("\(recorder.all)") }
        XCTAssertEqual(name, "stalled")
    }

    func testStopEndsDeliveryAtOnceOnALiveSource() {
        let recorder = Recorder()
        let pump = FramePump(description: source(frames: -1, live: true), sourceName: "live") { recorder.record($0) }
        pump.start()
        let deadline = Date().addingTimeInterval(10)
        while recorder.frames.count < 3, Date() < deadline { usleep(10_000) }
        XCTAssertGreaterThanOrEqual(recorder.frames.count, 3)
        let stoppedAt = Date()
        pump.stop()
        XCTAssertLessThan(Date().timeIntervalSince(stoppedAt), 0.5)
        let count = recorder.all.count
        usleep(300_000)
        XCTAssertEqual(recorder.all.count, count, "nothing is delivered after stop()")
    }

    func testARecordingIsPacedAtItsFrameRateWhenAskedTo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-pump-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let gst = ["/usr/bin/gst-launch-1.0", "/usr/local/bin/gst-launch-1.0"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return XCTFail("gst-launch-1.0 is missing: scripts/install-deps.sh installs gstreamer1.0-tools")
        }
        // One second of video at 20 fps as a motion-JPEG AVI.
        let clip = dir.appendingPathComponent("clip.avi").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gst)
        process.arguments = ["-q", "videotestsrc", "num-buffers=20", "!", "video/x-raw,width=64,height=48,framerate=20/1",
                             "!", "jpegenc", "!", "avimux", "!", "filesink", "location=\(clip)"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        for paced in [true, false] {
            let recorder = Recorder()
            let started = Date()
            let pump = FramePump(source: .media(clip), paced: paced) { recorder.record($0) }
            pump.start()
            wait(for: [recorder.finished], timeout: 20)
            let seconds = Date().timeIntervalSince(started)
            guard case .ended? = recorder.all.last else { return XCTFail("\(recorder.all)") }
            if paced {
                XCTAssertGreaterThan(seconds, 0.8, "20 frames at 20 fps take about a second")
            } else {
                XCTAssertEqual(recorder.frames.count, 20, "unpaced, every frame is read")
            }
        }
    }

    func testVideoDevicesAreListedInNumberOrderWithTheirNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-dev-\(UUID().uuidString)")
        let dev = dir.appendingPathComponent("dev"), sys = dir.appendingPathComponent("sys")
        for name in ["video10", "video2", "video0", "videox", "vcs1"] {
            try FileManager.default.createDirectory(at: dev, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: dev.appendingPathComponent(name).path, contents: Data())
        }
        try FileManager.default.createDirectory(at: sys.appendingPathComponent("video2"), withIntermediateDirectories: true)
        try "USB Camera: HD Webcam\n".write(to: sys.appendingPathComponent("video2/name"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let devices = VideoDevice.list(directory: dev.path, names: sys.path)
        XCTAssertEqual(devices.map(\.path), ["video0", "video2", "video10"].map { dev.appendingPathComponent($0).path })
        XCTAssertEqual(devices.map(\.name), [nil, "USB Camera: HD Webcam", nil])
        XCTAssertEqual(VideoDevice.list(directory: dir.appendingPathComponent("missing").path), [])
    }
}
