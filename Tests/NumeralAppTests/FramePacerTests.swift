import XCTest
@testable import NumeralApp
@testable import NumeralSession

final class FramePacerTests: XCTestCase {
    func testLateWakeUpsDoNotLowerTheFrameRate() {
        // The loop wakes on whole milliseconds, so each frame starts up to 1 ms late.
        var pacer = FramePacer(interval: 1.0 / 60)
        var now = 10.0
        var frames = 0
        while now < 12 {
            if pacer.isDue(at: now) {
                pacer.frameStarted(at: now)
                frames += 1
                now += 0.003 // drawing
            }
            now = max(now, (pacer.nextFrame * 1000).rounded(.up) / 1000) // SDL_WaitEventTimeout in ms
        }
        XCTAssertEqual(Double(frames) / 2, 60, accuracy: 1, "60 frames a second while drawing")
    }

    func testFramesAreNeverCloserThanTheCadenceAllows() {
        var pacer = FramePacer(interval: 0.02)
        pacer.frameStarted(at: 1)
        XCTAssertFalse(pacer.isDue(at: 1.019))
        XCTAssertTrue(pacer.isDue(at: 1.02))
        pacer.frameStarted(at: 1.021)
        XCTAssertEqual(pacer.nextFrame, 1.04, accuracy: 1e-9, "a late start keeps the cadence")
    }

    func testAfterAPauseTheCadenceStartsAfresh() {
        var pacer = FramePacer(interval: 0.02)
        pacer.frameStarted(at: 1)
        pacer.frameStarted(at: 5) // idle for seconds: no burst of catch-up frames
        XCTAssertEqual(pacer.nextFrame, 5.02, accuracy: 1e-9)
        XCTAssertFalse(pacer.isDue(at: 5.01))
    }

    func testResultsCanBeShownAtOnce() {
        var pacer = FramePacer(interval: 0.02)
        pacer.frameStarted(at: 1)
        pacer.allowFrameNow()
        XCTAssertTrue(pacer.isDue(at: 1.001))
        pacer.frameStarted(at: 1.001)
        XCTAssertEqual(pacer.nextFrame, 1.021, accuracy: 1e-9)
    }
}
