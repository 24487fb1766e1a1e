import XCTest
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
        XCTAssertEqual(s.click(.correct), [.logFeedback(id: 42, actual: "7", serial: 1)])
        XCTAssertEqual(s.prediction?.feedback, .sending(actual: "7"))
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "7", error: nil))
        XCTAssertEqual(s.prediction?.feedback, .recorded(actual: "7"))
        XCTAssertEqual(s.message, StatusMessage("Recorded: 7", .success))
    }

    func testDigitKeyAndDigitButtonCorrectThePrediction() {
        var s = predicted("1")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 5)))
        XCTAssertEqual(reduce(&s, Fixtures.key(.digit(7))), [.logFeedback(id: 5, actual: "7", serial: 1)])
        XCTAssertEqual(s.click(.digit(9)), [.logFeedback(id: 5, actual: "9", serial: 1)], "a second choice replaces the first")
    }

    func testFeedbackChosenBeforeTheLogAnswersIsSentWhenTheIdArrives() {
        var s = predicted("3")
        XCTAssertTrue(reduce(&s, Fixtures.key(.digit(8))).isEmpty)
        XCTAssertEqual(s.prediction?.feedback, .queued(actual: "8"))
        XCTAssertEqual(reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 77))),
                       [.logFeedback(id: 77, actual: "8", serial: 1)])
    }

    func testCorrectingOneDigitOfANumberRecordsTheWholeNumber() {
        var s = predicted("123")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 1)))
        let cell = s.layout.stripCells(count: 3)[1]
        _ = reduce(&s, Fixtures.pointer(.down, cell.center, time: 9))
        _ = reduce(&s, Fixtures.pointer(.up, cell.center, time: 9.1))
        XCTAssertEqual(reduce(&s, Fixtures.key(.digit(7))), [.logFeedback(id: 1, actual: "173", serial: 1)])
    }

    func testLoggingFailureKeepsPredictingAndSaysLoggingUnavailable() {
        var s = predicted("2")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .failed("database is locked")))
        XCTAssertEqual(s.message, StatusMessage("logging unavailable: database is locked", .error))
        XCTAssertEqual(s.loggingProblem, "database is locked")
        XCTAssertTrue(reduce(&s, Fixtures.key(.digit(2))).isEmpty, "no id to attach feedback to")
        s.drawStroke(startTime: 10)
        XCTAssertEqual(reduce(&s, .tick(time: 20)).count, 1, "recognition goes on")
        _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("4"))))
        XCTAssertEqual(s.prediction?.display.number, "4")
        _ = reduce(&s, .predictionLogged(serial: 2, outcome: .logged(id: 3)))
        XCTAssertNil(s.loggingProblem, "the log recovered")
    }

    func testFeedbackFailureIsShown() {
        var s = predicted("2")
        _ = reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 1)))
        _ = s.click(.correct)
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "2", error: "disk full"))
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
        s.drawStroke(startTime: 30)
        _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("6"))))
        XCTAssertTrue(reduce(&s, .predictionLogged(serial: 1, outcome: .logged(id: 9))).isEmpty)
        XCTAssertEqual(s.prediction?.log, .pending)
        _ = reduce(&s, .feedbackLogged(serial: 1, actual: "5", error: nil))
        XCTAssertNil(s.message)
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
        let d = DigitDisplay(probabilities: [0.1, 0.5, 0.05, 0.3, 0, 0, 0, 0, 0.05, .nan],
                             input: .init(width: 28, height: 28))
        XCTAssertEqual(d.topThree.map(\.digit), [1, 3, 0])
        XCTAssertEqual(d.best, 1)
        XCTAssertEqual(d.confidence, 0.5)
        XCTAssertNil(DigitDisplay(probabilities: [], input: .init(width: 28, height: 28)).best)
    }
}
