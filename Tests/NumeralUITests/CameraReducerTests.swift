import NumeralUI
import NumeralVision
import XCTest

/// The camera view's reducer: opening a source or a picker, frames and readings, the steady
/// reading, Capture and feedback, and every way a camera can be missing or stop.
final class CameraReducerTests: XCTestCase {
    private func frame(_ index: Int) -> CameraFrame {
        CameraFrame(width: 8, height: 6, gray: [UInt8](repeating: UInt8(index % 256), count: 48), index: index)
    }

    private func reading(_ text: String, frame index: Int) -> CameraReading {
        let numbers = text.split(separator: " ").map { part -> CameraNumber in
            let display = Fixtures.display(String(part))
            let boxes = display.digits.indices.map { PhotoBox(x: 10 + 30 * $0, y: 20, width: 24, height: 40) }
            return CameraNumber(digits: display.digits, boxes: boxes)
        }
        return CameraReading(frameIndex: index, numbers: numbers, latencyMs: 7, modelID: "test-1")
    }

    private func key(_ k: Key) -> CameraEvent { .key(KeyPress(k, time: 0, stamp: Fixtures.stamp)) }

    /// A live view on a recording, stream 1.
    private func live(steadyFrames: Int = 3) -> CameraState {
        var settings = CameraSettings()
        settings.steadyFrames = steadyFrames
        var s = CameraState(source: .recording("/tmp/clip.avi"), settings: settings)
        XCTAssertEqual(reduceCamera(&s, .open(nil)), [.start(.recording("/tmp/clip.avi"), stream: 1)])
        XCTAssertEqual(s.phase, .starting(.recording("/tmp/clip.avi")))
        _ = reduceCamera(&s, .streamStarted(stream: 1))
        XCTAssertTrue(s.isLive)
        return s
    }

    private func click(_ s: inout CameraState, _ button: CameraButton) -> [CameraEffect] {
        guard let r = s.layout.rect(of: button) else { XCTFail("no \(button)"); return [] }
        var effects = reduceCamera(&s, .pointer(PointerEvent(.down, .mouse, at: r.center, time: 1)))
        effects += reduceCamera(&s, .pointer(PointerEvent(.up, .mouse, at: r.center, time: 1.05)))
        return effects
    }

    func testFramesAreShownOneAtATimeAndReadingsFollowTheirFrames() {
        var s = live()
        XCTAssertEqual(reduceCamera(&s, .frameArrived(stream: 1, frame(0))), [.frameShown(stream: 1)])
        XCTAssertEqual(s.frame?.index, 0)
        _ = reduceCamera(&s, .frameArrived(stream: 1, frame(1)))
        XCTAssertEqual(reduceCamera(&s, .frameRead(stream: 1, frame(0), reading("42", frame: 0))), [])
        XCTAssertEqual(s.frame?.index, 1, "the preview shows the newest frame")
        XCTAssertEqual(s.readFrame?.index, 0, "boxes belong to the frame they were found in")
        XCTAssertEqual(s.reading?.text, "42")
        XCTAssertEqual(s.framesShown, 2)
        XCTAssertEqual(s.framesRead, 1)
        // Replies from a stream that was left behind change nothing.
        XCTAssertEqual(reduceCamera(&s, .frameArrived(stream: 0, frame(9))), [])
        _ = reduceCamera(&s, .frameRead(stream: 0, frame(9), reading("7", frame: 9)))
        XCTAssertEqual(s.reading?.text, "42")
    }

    func testTheFirstFrameMakesTheViewLiveEvenBeforeTheStartReply() {
        var s = CameraState(source: .device("/dev/video0"))
        _ = reduceCamera(&s, .open(nil))
        _ = reduceCamera(&s, .frameArrived(stream: 1, frame(0)))
        XCTAssertEqual(s.phase, .live(.device("/dev/video0")))
        XCTAssertNotNil(s.frame)
    }

    func testAReadingBecomesSteadyAfterHoldingForAFewFramesAndSurvivesOneMisreadFrame() {
        var s = live(steadyFrames: 3)
        for (i, text) in ["42", "42"].enumerated() { _ = reduceCamera(&s, .frameRead(stream: 1, frame(i), reading(text, frame: i))) }
        XCTAssertNil(s.steady.text, "two frames are not yet steady")
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(2), reading("42", frame: 2)))
        XCTAssertEqual(s.steady.text, "42")
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(3), reading("47", frame: 3)))
        XCTAssertEqual(s.steady.text, "42", "one misread frame does not change the steady reading")
        XCTAssertEqual(s.reading?.text, "47", "the live reading does")
        for i in 4...6 { _ = reduceCamera(&s, .frameRead(stream: 1, frame(i), reading("7 19", frame: i))) }
        XCTAssertEqual(s.steady.text, "7 19")
        for i in 7...9 { _ = reduceCamera(&s, .frameRead(stream: 1, frame(i), reading("", frame: i))) }
        XCTAssertNil(s.steady.text, "an empty page that holds clears it")
    }

    func testCaptureFreezesTheReadFrameLogsItAsCameraAndTakesFeedback() {
        var s = live()
        _ = reduceCamera(&s, .frameArrived(stream: 1, frame(3)))
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(3), reading("42", frame: 3)))
        _ = reduceCamera(&s, .frameArrived(stream: 1, frame(4)))
        let effects = reduceCamera(&s, key(.space))
        XCTAssertEqual(effects, [.setReading(stream: 1, enabled: false), .logPrediction(reading("42", frame: 3).display, serial: 1)])
        let capture = try! XCTUnwrap(s.capture)
        XCTAssertEqual(capture.frame.index, 3, "the frame whose boxes and readings are known is frozen")
        XCTAssertEqual(capture.log, .pending)
        XCTAssertEqual(s.selectedDigitPrediction?.best, 4, "the inset shows the first digit's 28×28 input")
        XCTAssertEqual(s.selectedDigitPrediction?.input.width, 28)
        // While frozen, new frames neither replace the picture nor the reading.
        XCTAssertEqual(reduceCamera(&s, .frameArrived(stream: 1, frame(5))), [.frameShown(stream: 1)])
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(5), reading("9", frame: 5)))
        XCTAssertEqual(s.capture?.reading.text, "42")
        _ = reduceCamera(&s, .predictionLogged(serial: 1, outcome: .logged(id: 17)))
        XCTAssertEqual(s.capture?.log, .logged(id: 17))
        // ✓ confirms the reading.
        XCTAssertEqual(reduceCamera(&s, key(.enter)), [.logFeedback(actual: "42", serial: 1)])
        XCTAssertEqual(s.capture?.feedback, .sending(actual: "42"))
        _ = reduceCamera(&s, .feedbackLogged(serial: 1, actual: "42", outcome: .logged(id: 17)))
        XCTAssertEqual(s.capture?.feedback, .recorded(actual: "42"))
        XCTAssertEqual(s.message?.kind, .success)
        // A click on the strip picks the second digit; a digit key corrects it.
        let cell = s.layout.base.stripCells(count: 2)[1]
        _ = reduceCamera(&s, .pointer(PointerEvent(.down, .mouse, at: cell.center, time: 2)))
        XCTAssertEqual(s.capture?.selectedDigit, 1)
        XCTAssertEqual(reduceCamera(&s, key(.digit(9))), [.logFeedback(actual: "49", serial: 1)])
        // Space again: back to the live view, reading again.
        XCTAssertEqual(reduceCamera(&s, key(.space)), [.setReading(stream: 1, enabled: true)])
        XCTAssertNil(s.capture)
        _ = reduceCamera(&s, .frameArrived(stream: 1, frame(6)))
        XCTAssertEqual(s.frame?.index, 6)
    }

    func testTheCaptureAndFeedbackButtonsWorkLikeTheKeys() {
        var s = live()
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(0), reading("8", frame: 0)))
        XCTAssertFalse(s.shows(.correct), "feedback buttons appear with a capture")
        XCTAssertEqual(click(&s, .capture), [.setReading(stream: 1, enabled: false), .logPrediction(reading("8", frame: 0).display, serial: 1)])
        XCTAssertEqual(click(&s, .digit(3)), [.logFeedback(actual: "3", serial: 1)])
        XCTAssertEqual(click(&s, .correct), [.logFeedback(actual: "8", serial: 1)])
        _ = click(&s, .capture)
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(1), reading("5", frame: 1)))
        XCTAssertEqual(click(&s, .capture).last, .logPrediction(reading("5", frame: 1).display, serial: 2),
                       "every capture is its own log record")
    }

    func testCapturingAFrameWithoutDigitsLogsNothingAndSaysSo() {
        var s = live()
        XCTAssertEqual(reduceCamera(&s, key(.space)), [], "nothing read yet")
        XCTAssertEqual(s.message?.text, "Nothing read yet: wait for the first frame.")
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(0), reading("", frame: 0)))
        XCTAssertEqual(reduceCamera(&s, key(.space)), [.setReading(stream: 1, enabled: false)])
        XCTAssertNotNil(s.capture)
        XCTAssertTrue(s.message?.text.hasPrefix("No digits in this frame") ?? false)
        XCTAssertEqual(reduceCamera(&s, key(.digit(4))), [], "no feedback without digits")
    }

    func testFeedbackIsRefusedWhenTheCaptureCouldNotBeLogged() {
        var s = live()
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(0), reading("3", frame: 0)))
        _ = reduceCamera(&s, key(.space))
        _ = reduceCamera(&s, .predictionLogged(serial: 1, outcome: .failed("database is locked")))
        XCTAssertEqual(s.loggingProblem, "database is locked")
        XCTAssertEqual(reduceCamera(&s, key(.enter)), [])
        XCTAssertEqual(s.capture?.feedback, .failed(actual: "3", message: "database is locked"))
    }

    func testSeveralCamerasOpenThePickerAndOneOpensAtOnce() {
        var s = CameraState()
        XCTAssertEqual(reduceCamera(&s, .open(nil)), [.findDevices])
        XCTAssertEqual(s.phase, .findingDevices)
        let devices = [CameraDevice(path: "/dev/video0", name: "Integrated"), CameraDevice(path: "/dev/video2", name: "USB")]
        XCTAssertEqual(reduceCamera(&s, .devicesFound(devices)), [])
        XCTAssertEqual(s.phase, .choosing(devices))
        XCTAssertTrue(s.shows(.device(1)))
        XCTAssertFalse(s.shows(.device(2)))
        XCTAssertEqual(reduceCamera(&s, key(.digit(2))), [.start(.device("/dev/video2"), stream: 1)])
        // L brings the picker back, leaving the running stream.
        _ = reduceCamera(&s, .streamStarted(stream: 1))
        XCTAssertEqual(reduceCamera(&s, key(.letter("l"))), [.stop(stream: 1), .findDevices])
        _ = reduceCamera(&s, .devicesFound(devices))
        XCTAssertEqual(click(&s, .device(0)), [.start(.device("/dev/video0"), stream: 3)])

        var single = CameraState()
        _ = reduceCamera(&single, .open(nil))
        XCTAssertEqual(reduceCamera(&single, .devicesFound([devices[0]])), [.start(.device("/dev/video0"), stream: 1)])
    }

    func testNoCameraIsAMessageAndRetryLooksAgain() {
        var s = CameraState()
        _ = reduceCamera(&s, .open(nil))
        _ = reduceCamera(&s, .devicesFound([]))
        guard case .stopped(nil, let message) = s.phase else { return XCTFail("\(s.phase)") }
        XCTAssertTrue(message.hasPrefix("No camera found"), message)
        XCTAssertTrue(message.contains("--camera-source"), message)
        XCTAssertEqual(reduceCamera(&s, key(.letter("r"))), [.findDevices])
    }

    func testABusyOrUnpluggedCameraAndAnEndedRecordingAreMessagesNeverAHang() {
        var s = CameraState(source: .device("/dev/video0"))
        _ = reduceCamera(&s, .open(nil))
        // Busy: the source fails to open.
        let busy = "Cannot open camera /dev/video0: Device '/dev/video0' is busy. Check that the device or file exists, is readable and is not in use."
        XCTAssertEqual(reduceCamera(&s, .streamStopped(stream: 1, .failed(busy))), [.stop(stream: 1)])
        XCTAssertEqual(s.phase, .stopped(.device("/dev/video0"), message: busy + " Press R to try again."))
        // R opens it again as a new stream; replies of the old one are ignored.
        XCTAssertEqual(reduceCamera(&s, key(.letter("r"))), [.start(.device("/dev/video0"), stream: 2)])
        _ = reduceCamera(&s, .frameArrived(stream: 2, frame(0)))
        _ = reduceCamera(&s, .frameRead(stream: 2, frame(0), reading("5", frame: 0)))
        XCTAssertEqual(reduceCamera(&s, .streamStopped(stream: 1, .ended)), [])
        XCTAssertTrue(s.isLive)
        // Unplugged mid-stream: the stream ends.
        _ = reduceCamera(&s, .streamStopped(stream: 2, .ended))
        guard case .stopped(_, let unplugged) = s.phase else { return XCTFail("\(s.phase)") }
        XCTAssertTrue(unplugged.contains("was it unplugged?"), unplugged)
        XCTAssertNotNil(s.frame, "the last frame stays under the message")
        XCTAssertNil(s.steady.text)

        var clip = live()
        _ = reduceCamera(&clip, .frameRead(stream: 1, frame(0), reading("5", frame: 0)))
        _ = reduceCamera(&clip, key(.space))
        _ = reduceCamera(&clip, .streamStopped(stream: 1, .ended))
        XCTAssertEqual(clip.phase, .stopped(.recording("/tmp/clip.avi"), message: "The recording clip.avi ended. Press R to play it again."))
        XCTAssertNotNil(clip.capture, "a frozen capture survives the end of the stream, for its feedback")
        XCTAssertEqual(reduceCamera(&clip, key(.digit(6))), [.logFeedback(actual: "6", serial: 1)])
        XCTAssertEqual(reduceCamera(&clip, key(.space)), [], "back to the message; nothing to resume")
        XCTAssertNil(clip.capture)
    }

    func testAReaderWithoutAModelIsShownWhileThePreviewGoesOn() {
        var s = live()
        _ = reduceCamera(&s, .frameFailed(stream: 1, "no model is loaded"))
        XCTAssertEqual(s.readingProblem, "no model is loaded")
        XCTAssertEqual(reduceCamera(&s, .frameArrived(stream: 1, frame(0))), [.frameShown(stream: 1)])
        _ = reduceCamera(&s, .frameRead(stream: 1, frame(0), reading("", frame: 0)))
        XCTAssertNil(s.readingProblem)
    }

    func testClosingReleasesTheCameraAndKeysLeaveOrQuit() {
        var s = live()
        _ = reduceCamera(&s, .frameArrived(stream: 1, frame(0)))
        XCTAssertEqual(reduceCamera(&s, key(.escape)), [.stop(stream: 1), .closeView])
        XCTAssertFalse(s.isOpen)
        XCTAssertNil(s.frame)
        XCTAssertEqual(reduceCamera(&s, .frameArrived(stream: 1, frame(1))), [], "a closed view takes no frames")
        XCTAssertEqual(reduceCamera(&s, .open(nil)), [.start(.recording("/tmp/clip.avi"), stream: 2)])
        XCTAssertEqual(reduceCamera(&s, key(.letter("v"))), [.stop(stream: 2), .closeView])
        _ = reduceCamera(&s, .open(nil))
        XCTAssertEqual(click(&s, .back), [.stop(stream: 3), .closeView])
        _ = reduceCamera(&s, .open(nil))
        XCTAssertEqual(reduceCamera(&s, key(.letter("q"))), [.quit])
        XCTAssertEqual(reduceCamera(&s, key(.letter("s"))), [.saveScreenshot(path: "numeral-camera-20260307-090501.png")])
    }

    func testBoxesMapOntoTheDrawnFrame() {
        let layout = CameraLayout(width: 1120, height: 740)
        let f = layout.frameRect(width: 640, height: 480)
        XCTAssertEqual(f.width / f.height, 640.0 / 480.0, accuracy: 1e-9)
        XCTAssertTrue(f.x >= layout.preview.x && f.maxX <= layout.preview.maxX + 1e-9)
        XCTAssertTrue(f.y >= layout.preview.y && f.maxY <= layout.preview.maxY + 1e-9)
        let whole = layout.rect(of: PhotoBox(x: 0, y: 0, width: 640, height: 480), frameWidth: 640, frameHeight: 480)
        XCTAssertEqual(whole, f)
        let quarter = layout.rect(of: PhotoBox(x: 320, y: 240, width: 320, height: 240), frameWidth: 640, frameHeight: 480)
        XCTAssertEqual(quarter.x, f.x + f.width / 2, accuracy: 1e-9)
        XCTAssertEqual(quarter.maxY, f.maxY, accuracy: 1e-9)
        // No two controls overlap where both are shown.
        let ids = layout.buttons.map(\.id)
        for (i, a) in ids.enumerated() {
            for b in ids[(i + 1)...] where !(isDevice(a) && isDevice(b)) {
                guard let ra = layout.rect(of: a), let rb = layout.rect(of: b), !isDevice(a), !isDevice(b) else { continue }
                XCTAssertFalse(ra.x < rb.maxX && rb.x < ra.maxX && ra.y < rb.maxY && rb.y < ra.maxY, "\(a) overlaps \(b)")
            }
        }
    }

    private func isDevice(_ b: CameraButton) -> Bool { if case .device = b { return true } else { return false } }
}

extension CameraReducerTests {
    func testScreenshotRepliesAreShown() {
        var s = CameraState(source: .device("/dev/video0"))
        _ = reduceCamera(&s, .screenshotSaved(path: "numeral-camera-1.png", error: nil))
        XCTAssertEqual(s.message, StatusMessage("Saved screenshot numeral-camera-1.png", .success))
        _ = reduceCamera(&s, .screenshotSaved(path: "x.png", error: "disk full"))
        XCTAssertEqual(s.message?.kind, .error)
    }
}

extension CameraReducerTests {
    func testTheDrawingViewOpensTheCameraWithVOrItsButtonButNotInAKiosk() {
        var s = AppState()
        XCTAssertEqual(reduce(&s, Fixtures.key(.letter("v"))), [.openCamera])
        XCTAssertEqual(s.click(.camera), [.openCamera])
        XCTAssertEqual(reduce(&s, Fixtures.key(.space)), [], "space does nothing in the drawing view")
        XCTAssertTrue(KioskGate.needsAdmin(Fixtures.key(.letter("v"))), "visitors cannot leave the canvas for the camera")
        XCTAssertNil(Layout(width: 1280, height: 800, variant: .kiosk).rect(of: .camera))
    }
}
