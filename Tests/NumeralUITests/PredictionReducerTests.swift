import XCTest
import NumeralVision
@testable import NumeralUI

final class PredictionReducerTests: XCTestCase {
    func testLivePredictionWaitsForTheDebounceAfterTheStrokeEnds() {
        var s = AppState()
        XCTAssertTrue(s.drawStroke(startTime: 10).isEmpty, "no recognition while the stroke is drawn")
        let due = s.recognitionDueAt!
        XCTAssertEqual(due, 10.12 + s.settings.debounce, accuracy: 1e-9)
        XCTAssertTrue(reduce(&s, .tick(time: due - 0.01)).isEmpty)
        let effects = reduce(&s, .tick(time: due))
        XCTAssertEqual(effects, [.recognize(s.drawing, revision: 1)])
        XCTAssertEqual(s.inFlightRevision, 1)
        XCTAssertTrue(s.isRecognizing)
        XCTAssertTrue(reduce(&s, .tick(time: due + 1)).isEmpty, "fires once")
    }

    func testANewStrokeCancelsThePendingDebounce() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        _ = reduce(&s, Fixtures.pointer(.down, s.layout.canvas.center, time: 0.15))
        XCTAssertNil(s.recognitionDueAt)
        XCTAssertTrue(reduce(&s, .tick(time: 0.5)).isEmpty, "never predict a half-drawn stroke")
        _ = reduce(&s, Fixtures.pointer(.up, s.layout.canvas.center, time: 0.6))
        XCTAssertEqual(reduce(&s, .tick(time: 0.8)), [.recognize(s.drawing, revision: 2)])
        XCTAssertEqual(s.drawing.strokes.count, 2)
    }

    func testAResultForAnOlderDrawingIsDropped() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        _ = reduce(&s, .tick(time: 1))          // recognizing revision 1
        s.drawStroke(startTime: 2)              // now revision 2
        let effects = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(Fixtures.display("1"))))
        XCTAssertTrue(effects.isEmpty)
        XCTAssertNil(s.prediction, "stale result must not be shown or logged")
        let fresh = reduce(&s, .recognitionFinished(revision: 2, outcome: .success(Fixtures.display("7"))))
        XCTAssertEqual(s.prediction?.display.number, "7")
        XCTAssertTrue(s.isPredictionCurrent)
        XCTAssertEqual(fresh, [.logPrediction(Fixtures.display("7"), inputType: .canvas, drawing: s.drawing, serial: 1)])
    }

    func testAResultArrivingWhileTheNextStrokeIsDrawnIsStillShown() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        _ = reduce(&s, .tick(time: 1))
        _ = reduce(&s, Fixtures.pointer(.down, s.layout.canvas.center, time: 1.1))
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(Fixtures.display("3"))))
        XCTAssertEqual(s.prediction?.display.number, "3", "the finished strokes did not change")
    }

    func testPredictButtonAndEnterRecognizeImmediately() {
        var s = AppState()
        s.drawStroke()
        XCTAssertEqual(s.click(.predict), [.recognize(s.drawing, revision: 1)])
        XCTAssertNil(s.recognitionDueAt)
        XCTAssertTrue(reduce(&s, Fixtures.key(.enter)).isEmpty, "already running for this revision")
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(Fixtures.display("5"))))
        XCTAssertTrue(reduce(&s, Fixtures.key(.enter)).isEmpty, "already up to date")
        s.drawStroke(startTime: 3)
        XCTAssertEqual(reduce(&s, Fixtures.key(.enter)), [.recognize(s.drawing, revision: 2)])
    }

    func testPredictOnAnEmptyCanvasShowsNothingDrawnInsteadOfPredicting() {
        var s = AppState()
        XCTAssertTrue(s.click(.predict).isEmpty)
        XCTAssertTrue(s.nothingDrawn)
        XCTAssertTrue(s.message?.text.contains("Nothing drawn") ?? false)
        s.drawStroke()
        XCTAssertFalse(s.nothingDrawn)
    }

    func testRecognitionErrorsBecomeAMessage() {
        var s = AppState()
        s.drawStroke()
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .failure("model file is corrupt")))
        XCTAssertNil(s.prediction)
        XCTAssertEqual(s.message?.kind, .error)
        XCTAssertTrue(s.message!.text.contains("model file is corrupt"))
    }

    func testUndoingEverythingRemovesThePrediction() {
        var s = AppState()
        s.drawStroke()
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(Fixtures.display("1"))))
        _ = reduce(&s, Fixtures.key(.letter("z"), ctrl: true, time: 4))
        XCTAssertNil(s.prediction)
    }

    func testDroppedPictureIsRecognizedShownAndLoggedAsUpload() {
        var s = AppState()
        s.drawStroke()
        XCTAssertEqual(reduce(&s, .fileDropped(path: "/tmp/pics/seven.png")),
                       [.recognizeFile(path: "/tmp/pics/seven.png", revision: 1)])
        XCTAssertTrue(s.isRecognizing)
        let picture = GrayImage(width: 4, height: 4, fill: 0.5)
        let effects = reduce(&s, .fileRecognitionFinished(path: "/tmp/pics/seven.png", revision: 1,
                                                          outcome: .success(Fixtures.display("7"), picture: picture)))
        XCTAssertEqual(s.picture, picture)
        XCTAssertEqual(s.pictureName, "seven.png")
        XCTAssertTrue(s.strokes.isEmpty)
        XCTAssertFalse(s.isRecognizing)
        XCTAssertEqual(effects, [.logPrediction(Fixtures.display("7"), inputType: .upload, drawing: nil, serial: 1)])
        XCTAssertTrue(s.isPredictionCurrent)
        // Drawing over the picture starts a new drawing.
        s.drawStroke(startTime: 5)
        XCTAssertNil(s.picture)
        XCTAssertEqual(s.strokes.count, 1)
    }

    /// A picture the reader marked unsure is shown with a hint that the answer is a guess; a
    /// sure one without.
    func testAnUnsurePictureReadingSaysItIsAGuess() {
        for unsure in [true, false] {
            var s = AppState()
            _ = reduce(&s, .fileDropped(path: "/tmp/pics/smudge.png"))
            _ = reduce(&s, .fileRecognitionFinished(path: "/tmp/pics/smudge.png", revision: 0,
                                                    outcome: .success(Fixtures.display("4"), picture: GrayImage(width: 4, height: 4, fill: 0.5),
                                                                      unsure: unsure)))
            XCTAssertEqual(s.pictureName, "smudge.png")
            XCTAssertEqual(s.message?.text.contains("guess") ?? false, unsure, "\(String(describing: s.message))")
        }
    }

    func testABadPictureLeavesTheCanvasAloneAndExplains() {
        var s = AppState()
        s.drawStroke()
        _ = reduce(&s, .fileDropped(path: "/x/broken.png"))
        _ = reduce(&s, .fileRecognitionFinished(path: "/x/broken.png", revision: 1, outcome: .failure("not a PNG file")))
        XCTAssertEqual(s.strokes.count, 1)
        XCTAssertNil(s.picture)
        XCTAssertEqual(s.message, StatusMessage("Could not read broken.png: not a PNG file", .error))
        XCTAssertFalse(s.isRecognizing)
    }

    func testMultiDigitResultSelectsDigitsFromTheStrip() {
        var s = AppState()
        s.drawStroke()
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(Fixtures.display("428"))))
        XCTAssertEqual(s.selectedDigitPrediction?.best, 4)
        let cells = s.layout.stripCells(count: 3)
        _ = reduce(&s, Fixtures.pointer(.down, cells[2].center, time: 3))
        _ = reduce(&s, Fixtures.pointer(.up, cells[2].center, time: 3.1))
        XCTAssertEqual(s.selectedDigit, 2)
        XCTAssertEqual(s.selectedDigitPrediction?.best, 8)
        XCTAssertEqual(s.strokes.count, 1, "tapping the strip does not draw")
    }
}
