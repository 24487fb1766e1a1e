import Foundation
import XCTest
@testable import NumeralCapture

/// The GStreamer wrapper on GStreamer's own test source (no camera needed).
final class CapturePipelineTests: XCTestCase {
    private func testSource(width: Int, height: Int, frames: Int, live: Bool = false) -> String {
        "videotestsrc num-buffers=\(frames) pattern=white is-live=\(live) ! video/x-raw,width=\(width),height=\(height),framerate=30/1"
            + " ! videoconvert ! video/x-raw,format=GRAY8 ! appsink name=sink max-buffers=1 sync=false"
    }

    func testFramesArriveWithSizeTimeAndIndexThenTheStreamEnds() throws {
        // 61 px rows are padded to 64 bytes by GStreamer: the copy must undo that.
        let pipeline = try CapturePipeline(description: testSource(width: 61, height: 17, frames: 3), sourceName: "test")
        var frames: [CaptureFrame] = []
        while let frame = try pipeline.nextFrame(timeout: 5) { frames.append(frame) }
        XCTAssertEqual(frames.count, 3)
        XCTAssertEqual(frames.map(\.index), [0, 1, 2])
        XCTAssertEqual(frames[0].width, 61)
        XCTAssertEqual(frames[0].height, 17)
        XCTAssertEqual(frames[0].gray.count, 61 * 17)
        XCTAssertTrue(frames[0].gray.allSatisfy { $0 > 200 }, "a white pattern reads white everywhere, padding removed")
        XCTAssertEqual(frames[1].time ?? -1, 1.0 / 30, accuracy: 1e-3)
        XCTAssertNil(try pipeline.nextFrame(timeout: 1), "after the end, nil again")
    }

    func testBadDescriptionsAreTypedErrors() {
        XCTAssertThrowsError(try CapturePipeline(description: "no-such-element-numeral ! appsink name=sink", sourceName: "x")) {
            guard case .invalidPipeline? = $0 as? CaptureError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try CapturePipeline(description: "videotestsrc ! fakesink", sourceName: "x")) {
            guard case .invalidPipeline(_, let reason)? = $0 as? CaptureError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("sink"))
        }
    }

    func testAStalledSourceTimesOutInsteadOfHanging() throws {
        // A live source whose every buffer is dropped: the pipeline runs but no frame ever comes.
        let description = "videotestsrc is-live=true ! video/x-raw,width=32,height=32,framerate=30/1 ! valve drop=true"
            + " ! videoconvert ! video/x-raw,format=GRAY8 ! appsink name=sink max-buffers=1 drop=true sync=false"
        let started = Date()
        do {
            let pipeline = try CapturePipeline(description: description, sourceName: "stalled", startTimeout: 1)
            _ = try pipeline.nextFrame(timeout: 1)
            XCTFail("a frame came through a closed valve")
        } catch let error as CaptureError {
            guard case .timedOut(let source, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(source, "stalled")
            XCTAssertTrue(error.description.contains("No frame from stalled"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testSourcesBuildPipelinesEndingInTheGraySink() {
        XCTAssertTrue(CaptureSource.device("/dev/video0").pipelineDescription.hasPrefix("v4l2src device=\"/dev/video0\""))
        XCTAssertTrue(CaptureSource.device("/dev/video0").pipelineDescription.contains("drop=true"), "a camera drops frames")
        XCTAssertTrue(CaptureSource.media("/tmp/a b.avi").pipelineDescription.contains("uri=\"file:///tmp/a%20b.avi\""))
        XCTAssertTrue(CaptureSource.media("frames/%04d.png").pipelineDescription.contains("multifilesrc"))
        XCTAssertTrue(CaptureSource.media("frames/%04d.png").pipelineDescription.contains("image/png"))
        for source in [CaptureSource.device("/dev/video0"), .media("x.avi"), .media("f/%03d.jpg")] {
            XCTAssertTrue(source.pipelineDescription.contains("format=GRAY8 ! appsink name=sink"))
        }
        XCTAssertEqual(CaptureSource.quoted("a\"b"), "\"a\\\"b\"")
    }
}
