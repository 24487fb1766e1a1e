import XCTest
import NumeralVision
@testable import NumeralUI

/// L switches the window between digits, letters and both; the drawing is read again with the
/// new set, and a digit key corrects with a digit only where the set has one.
final class CharacterSetReducerTests: XCTestCase {
    private func letters(_ text: String) -> Recognition {
        Recognition(digits: text.map { c in
            var p = [Float](repeating: 0.001, count: 52)
            p[CharacterClasses.letters.index(of: c)!] = 0.9
            return DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28, pixels: [Float](repeating: 0, count: 784)))
        }, latencyMs: 1, modelID: "letters-test")
    }

    func testLCyclesTheSetAndReadsTheDrawingAgain() {
        var s = AppState()
        XCTAssertEqual(s.classes, .digits)
        XCTAssertTrue(reduce(&s, Fixtures.key(.letter("l"))).isEmpty, "nothing drawn: nothing to read")
        XCTAssertEqual(s.classes, .letters)
        XCTAssertEqual(s.message?.text, "Reading letters (L switches)")
        s.drawStroke()
        XCTAssertEqual(s.click(.predict), [.recognize(s.drawing, revision: 1, classes: .letters)])
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(letters("T"))))
        XCTAssertTrue(s.isPredictionCurrent)
        let again = reduce(&s, Fixtures.key(.letter("l")))
        XCTAssertEqual(s.classes, .alphanumeric)
        XCTAssertEqual(again, [.recognize(s.drawing, revision: 2, classes: .alphanumeric)])
        XCTAssertFalse(s.isPredictionCurrent, "the letters reading is out of date until the new one comes")
        _ = reduce(&s, Fixtures.key(.letter("l")))
        XCTAssertEqual(s.classes, .digits, "and back to digits")
    }

    func testADigitKeyCorrectsALetterReadingOnlyWhereTheSetHasDigits() {
        var s = AppState()
        _ = reduce(&s, Fixtures.key(.letter("l")))
        s.drawStroke()
        _ = s.click(.predict)
        _ = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(letters("Ada"))))
        XCTAssertTrue(reduce(&s, Fixtures.key(.digit(4))).isEmpty, "the letters set has no 4")
        XCTAssertTrue(s.message?.text.contains("Letters are corrected by typing them") ?? false, "\(String(describing: s.message))")
        // Confirming works as for digits: the text is the truth.
        let confirm = s.click(.correct)
        XCTAssertEqual(confirm, [.logFeedback(actual: "Ada", serial: 1)])
    }

    func testTheKioskKeepsTheSetSwitchFromVisitors() {
        XCTAssertTrue(AppCommand.nextCharacterSet.isPrivileged)
        XCTAssertEqual(AppCommand(KeyPress(.letter("l"), time: 0, stamp: Fixtures.stamp)), .nextCharacterSet)
    }
}
