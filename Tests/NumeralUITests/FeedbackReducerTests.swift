import XCTest
import NumeralVision
@testable import NumeralUI

final class FeedbackReducerTests: XCTestCase {
    private func predicted(_ number: String) -> AppState {
        var s = AppState()
        s.drawStroke()
        _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display(number))))
        return s
    }

    func testCorrectButtonConfirmsTheLoggedPrediction() {
        var s = predicted("7")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 42)))
        XCTAssertEqual(s.click(.correct), [.logFeedback(actual: "7", serial: 1)])
        XCTAssertEqual(s.prediction?.feedback, .sending(actual: "7"))
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "7", outcome: .logged(id: 42)))
        XCTAssertEqual(s.prediction?.feedback, .recorded(actual: "7"))
        XCTAssertEqual(s.message, StatusMessage("Recorded: 7", .success))
    }

    func testDigitKeyAndDigitButtonCorrectThePrediction() {
        var s = predicted("1")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 5)))
        XCTAssertEqual(reduce(&s, Fixtures.key(.digit(7))), [.logFeedback(actual: "7", serial: 1)])
        XCTAssertEqual(s.click(.digit(9)), [.logFeedback(actual: "9", serial: 1)], "a second choice replaces the first")
    }

    func testFeedbackChosenBeforeTheLogAnswersIsSentAtOnceForTheSameRecord() {
        var s = predicted("3")
        XCTAssertEqual(reduce(&s, Fixtures.key(.digit(8))), [.logFeedback(actual: "8", serial: 1)],
                       "the log keeps a record's writes in order, so feedback need not wait for the id")
        XCTAssertEqual(s.prediction?.feedback, .sending(actual: "8"))
        XCTAssertTrue(reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 77))).isEmpty)
        XCTAssertEqual(s.prediction?.feedback, .sending(actual: "8"))
    }

    func testFeedbackKeptInTheSpoolCountsAsRecorded() {
        var s = predicted("3")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .kept("the log is locked")))
        XCTAssertEqual(s.prediction?.log, .kept("the log is locked"))
        XCTAssertNil(s.loggingProblem, "kept is not lost")
        _ = s.click(.correct)
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "3", outcome: .kept("the log is locked")))
        XCTAssertEqual(s.prediction?.feedback, .recorded(actual: "3"))
        XCTAssertEqual(s.message?.kind, .success)
    }

    func testCorrectingOneDigitOfANumberRecordsTheWholeNumber() {
        var s = predicted("123")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 1)))
        let cell = s.layout.stripCells(count: 3)[1]
        _ = reduce(&s, Fixtures.pointer(.down, cell.center, time: 9))
        _ = reduce(&s, Fixtures.pointer(.up, cell.center, time: 9.1))
        XCTAssertEqual(reduce(&s, Fixtures.key(.digit(7))), [.logFeedback(actual: "173", serial: 1)])
    }

    func testLoggingFailureKeepsPredictingAndSaysLoggingUnavailable() {
        var s = predicted("2")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .failed("database is locked")))
        XCTAssertEqual(s.message, StatusMessage("logging unavailable: database is locked", .error))
        XCTAssertEqual(s.loggingProblem, "database is locked")
        XCTAssertTrue(reduce(&s, Fixtures.key(.digit(2))).isEmpty, "neither written nor kept: nothing to attach feedback to")
        s.drawStroke(startTime: 10)
        XCTAssertEqual(reduce(&s, .tick(time: 20)).count, 1, "recognition goes on")
        _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("4"))))
        XCTAssertEqual(s.prediction?.display.number, "4")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 3)))
        XCTAssertNil(s.loggingProblem, "the log recovered")
    }

    func testFeedbackFailureIsShown() {
        var s = predicted("2")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 1)))
        _ = s.click(.correct)
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "2", outcome: .failed("disk full")))
        XCTAssertEqual(s.prediction?.feedback, .failed(actual: "2", message: "disk full"))
        XCTAssertEqual(s.message?.kind, .error)
    }

    func testFeedbackNeedsACurrentPrediction() {
        var s = AppState()
        XCTAssertTrue(reduce(&s, Fixtures.key(.digit(1))).isEmpty)
        XCTAssertNotNil(s.message)
        s = predicted("5")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 1)))
        s.drawStroke(startTime: 30)
        XCTAssertTrue(s.click(.correct).isEmpty, "the shown prediction is for an older drawing")
    }

    func testRepliesForAReplacedPredictionAreIgnored() {
        var s = predicted("5")
        _ = s.click(.clear)
        s.drawStroke(startTime: 30)
        _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("6"))))
        XCTAssertEqual(s.prediction?.serial, 2)
        XCTAssertTrue(reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 9))).isEmpty)
        XCTAssertEqual(s.prediction?.log, .pending)
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "5", outcome: .logged(id: 9)))
        XCTAssertNil(s.message)
    }
}

/// One log record per drawing: created at its first prediction, updated as strokes are added
/// or undone, closed by Clear, feedback, a new picture or idleness.
final class RecordPerDrawingReducerTests: XCTestCase {
    private func recognized(_ s: inout AppState, _ number: String) -> [AppEffect] {
        reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display(number))))
    }

    private func serials(_ effects: [AppEffect]) -> [Int] {
        effects.compactMap { if case .logPrediction(_, _, _, let serial) = $0 { return serial } else { return nil } }
    }

    func testStrokesOfOneDrawingUpdateOneRecord() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        XCTAssertEqual(serials(recognized(&s, "2")), [1])
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 40)))
        s.drawStroke(startTime: 1)
        XCTAssertEqual(serials(recognized(&s, "4")), [1], "the second stroke of a 4 updates the same record")
        XCTAssertEqual(s.prediction?.log, .logged(id: 40), "still the same row while the update is written")
        s.drawStroke(startTime: 2)
        XCTAssertEqual(serials(recognized(&s, "42")), [1])
        _ = s.click(.undo)
        XCTAssertEqual(serials(recognized(&s, "4")), [1], "undo updates the record too")
    }

    func testClearFeedbackAndIdlenessCloseTheRecord() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        XCTAssertEqual(serials(recognized(&s, "1")), [1])
        _ = s.click(.clear)
        XCTAssertNil(s.openRecord)
        s.drawStroke(startTime: 5)
        XCTAssertEqual(serials(recognized(&s, "7")), [2], "a cleared canvas starts a new record")

        _ = s.click(.correct)
        XCTAssertNil(s.openRecord, "feedback closes the record")
        s.drawStroke(startTime: 6)
        XCTAssertEqual(serials(recognized(&s, "77")), [3])

        _ = reduce(&s, .tick(time: 6 + s.settings.recordIdleClose + 5))
        XCTAssertNil(s.openRecord, "a drawing left alone is finished")
        s.drawStroke(startTime: 200)
        XCTAssertEqual(serials(recognized(&s, "777")), [4])
    }

    func testAPictureIsANewRecordAndDrawingAfterItIsAnother() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        XCTAssertEqual(serials(recognized(&s, "1")), [1])
        _ = reduce(&s, .fileDropped(path: "/tmp/x.png"))
        let effects = reduce(&s, .fileRecognitionFinished(path: "/tmp/x.png", revision: s.revision,
                                                          outcome: .success(Fixtures.display("8"), picture: GrayImage(width: 1, height: 1))))
        XCTAssertEqual(serials(effects), [2])
        _ = s.click(.clear)
        s.drawStroke(startTime: 9)
        XCTAssertEqual(serials(recognized(&s, "3")), [3])
    }
}

final class KeyReducerTests: XCTestCase {
    func testCommandKeysProduceTheirEffects() {
        var s = AppState()
        XCTAssertEqual(reduce(&s, Fixtures.key(.letter("d"))), [.openDashboard])
        XCTAssertEqual(reduce(&s, Fixtures.key(.f11)), [.toggleFullscreen])
        XCTAssertEqual(reduce(&s, Fixtures.key(.f12)), [.saveScreenshot(path: "numeral-20260307-090501.png")])
        XCTAssertEqual(reduce(&s, Fixtures.key(.letter("s"))), [.saveScreenshot(path: "numeral-20260307-090501.png")])
        XCTAssertEqual(s.click(.dashboard), [.openDashboard])
        XCTAssertEqual(reduce(&s, Fixtures.key(.escape)), [.quit])
        XCTAssertTrue(s.isQuitting)
        var t = AppState()
        XCTAssertEqual(reduce(&t, Fixtures.key(.letter("q"))), [.quit])
    }

    func testThemeTogglesByKeyAndButton() {
        var s = AppState(theme: .dark)
        _ = reduce(&s, Fixtures.key(.letter("t")))
        XCTAssertEqual(s.theme, .light)
        _ = s.click(.theme)
        XCTAssertEqual(s.theme, .dark)
    }

    func testScreenshotResultIsReported() {
        var s = AppState()
        _ = reduce(&s, .screenshotSaved(path: "numeral-1.png", error: nil))
        XCTAssertEqual(s.message?.kind, .success)
        _ = reduce(&s, .screenshotSaved(path: "numeral-1.png", error: "read-only directory"))
        XCTAssertEqual(s.message?.text, "Could not save screenshot: read-only directory")
    }

    func testRankingOfProbabilities() {
        let d = DigitPrediction(probabilities: [0.1, 0.5, 0.05, 0.3, 0, 0, 0, 0, 0.05, .nan],
                             input: .init(width: 28, height: 28))
        XCTAssertEqual(d.top3.map(\.digit), [1, 3, 0])
        XCTAssertEqual(d.best, 1)
        XCTAssertEqual(d.confidence, 0.5)
        XCTAssertNil(DigitPrediction(probabilities: [], input: .init(width: 28, height: 28)).best)
    }
}

/// After "Thank you! Draw another digit" the next digit (the kiosk's next visitor) starts on a clean canvas.
final class KioskNextVisitorTests: XCTestCase {
    /// In a kiosk, and on the desktop too (issue 29: there a "2" confirmed and then a "1" drawn read "21").
    func testTheFirstTouchAfterFeedbackStartsAFreshDrawing() {
        for layout in [Layout(width: 1920, height: 1080, variant: .kiosk), Layout(width: 1120, height: 740, variant: .standard)] {
            var s = AppState()
            s.layout = layout
            s.drawingSize = s.layout.canvas.size
            s.drawStroke(startTime: 0)
            _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("2"))))
            _ = s.click(.correct)
            XCTAssertEqual(s.strokes.count, 1)
            s.drawStroke(startTime: 20)
            XCTAssertEqual(s.strokes.count, 1, "\(layout.variant): the confirmed 2 was cleared; only the new stroke is on the canvas")
            XCTAssertNil(s.prediction)
        }
    }

    /// Without feedback, more strokes still add to the same drawing (a "4" in two strokes, "17").
    func testWithoutFeedbackStrokesAddToTheDrawing() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("1"))))
        s.drawStroke(startTime: 20)
        XCTAssertEqual(s.strokes.count, 2)
    }
}
