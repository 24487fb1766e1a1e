import NumeralImprovement
import NumeralStore
import XCTest

final class FeedbackSplitTests: XCTestCase {
    func record(id: Int64, actual: String?, predicted: String = "3", inputBytes: Int? = 784) -> PredictionRecord {
        PredictionRecord(id: id, inputType: .canvas, predicted: predicted, confidence: 0.5, actual: actual,
                         input: inputBytes.map { [UInt8](repeating: 128, count: $0) })
    }

    func testOnlyLabelledSingleDigitRecordsWithTheirInputAreUsed() {
        let records = [
            record(id: 1, actual: "3"),
            record(id: 2, actual: "7"),
            record(id: 3, actual: nil),                                    // no feedback: not counted at all
            record(id: 4, actual: "12", predicted: "17", inputBytes: 1568),  // two digits
            record(id: 5, actual: "4", inputBytes: nil),                   // logged without its input
            record(id: 6, actual: "4", inputBytes: 783),                   // truncated input
        ]
        let split = FeedbackSplit(records: records, heldOutFraction: 0.25, minimumHeldOutPerDigit: 0)
        XCTAssertEqual(Set((split.training + split.heldOut).map(\.recordID)), [1, 2])
        XCTAssertEqual(split.skipped, 3)
        let example = (split.training + split.heldOut).first { $0.recordID == 2 }
        XCTAssertEqual(example?.label, 7)
        XCTAssertEqual(example?.predicted, 3)
        XCTAssertEqual(example?.wasCorrection, true)
        XCTAssertEqual(example?.pixels.count, 784)
        XCTAssertEqual(Double(example?.pixels.first ?? 0), 128.0 / 255, accuracy: 1e-6)
    }

    func testAboutTheRequestedShareIsHeldOutAndEveryDigitIsTested() {
        let records = (1...800).map { record(id: Int64($0), actual: String($0 % 10)) }
        let split = FeedbackSplit(records: records, heldOutFraction: 0.25, minimumHeldOutPerDigit: 3)
        XCTAssertEqual(split.training.count + split.heldOut.count, 800)
        XCTAssertEqual(Double(split.heldOut.count) / 800, 0.25, accuracy: 0.05)
        for digit in UInt8(0)...9 {
            XCTAssertGreaterThanOrEqual(split.heldOut.filter { $0.label == digit }.count, 3, "digit \(digit)")
        }
        XCTAssertTrue(Set(split.training.map(\.recordID)).isDisjoint(with: split.heldOut.map(\.recordID)))
    }

    func testSmallDigitsBorrowHeldOutExamplesButKeepHalfForTraining() {
        // Four 5s and one 8: the 5s lend two to evaluation, the lone 8 stays in training.
        let records = [10, 20, 30, 40].map { record(id: Int64($0), actual: "5") } + [record(id: 50, actual: "8")]
        let split = FeedbackSplit(records: records, heldOutFraction: 0.01, minimumHeldOutPerDigit: 3)
        XCTAssertEqual(split.heldOut.filter { $0.label == 5 }.count, 2)
        XCTAssertEqual(split.training.filter { $0.label == 5 }.count, 2)
        XCTAssertEqual(split.training.map(\.label).filter { $0 == 8 }.count, 1)
    }

    /// A drawing trained on in one round must not become "unseen" evaluation data in the next.
    func testTheSplitIsStableAsFeedbackAccumulates() {
        let early = (1...300).map { record(id: Int64($0), actual: String($0 % 10)) }
        let later = early + (301...900).map { record(id: Int64($0), actual: String($0 % 10)) }
        let first = FeedbackSplit(records: early, heldOutFraction: 0.25, minimumHeldOutPerDigit: 3)
        let second = FeedbackSplit(records: later, heldOutFraction: 0.25, minimumHeldOutPerDigit: 3)
        let trainedFirst = Set(first.training.map(\.recordID))
        XCTAssertTrue(trainedFirst.isDisjoint(with: second.heldOut.map(\.recordID)))
        // And the same log always splits the same way.
        XCTAssertEqual(FeedbackSplit(records: later, heldOutFraction: 0.25, minimumHeldOutPerDigit: 3).heldOut.map(\.recordID),
                       second.heldOut.map(\.recordID))
    }
}

final class AdoptionRuleTests: XCTestCase {
    func testMNISTMayDropByAtMostTheLimitCountedInImages() {
        let feedbackBetter = AccuracyChange(count: 40, correctBefore: 20, correctAfter: 30)
        // 0.1 pp of 10,000 is 10 images.
        let atLimit = AdoptionRule.decide(mnist: AccuracyChange(count: 10_000, correctBefore: 9960, correctAfter: 9950),
                                          feedback: feedbackBetter, maximumMNISTDrop: 0.001)
        XCTAssertTrue(atLimit.adopt, atLimit.reason)
        let beyond = AdoptionRule.decide(mnist: AccuracyChange(count: 10_000, correctBefore: 9960, correctAfter: 9949),
                                         feedback: feedbackBetter, maximumMNISTDrop: 0.001)
        XCTAssertFalse(beyond.adopt)
        XCTAssertTrue(beyond.reason.contains("fell 0.11 pp"), beyond.reason)
        XCTAssertTrue(beyond.reason.contains("at most 0.10 pp"), beyond.reason)
        // On 500 images not even one may be lost.
        XCTAssertFalse(AdoptionRule.decide(mnist: AccuracyChange(count: 500, correctBefore: 490, correctAfter: 489),
                                           feedback: feedbackBetter, maximumMNISTDrop: 0.001).adopt)
    }

    func testHeldOutFeedbackMustNotGetWorse() {
        let mnistBetter = AccuracyChange(count: 10_000, correctBefore: 9900, correctAfter: 9910)
        let worse = AdoptionRule.decide(mnist: mnistBetter, feedback: AccuracyChange(count: 40, correctBefore: 30, correctAfter: 29),
                                        maximumMNISTDrop: 0.001)
        XCTAssertFalse(worse.adopt)
        XCTAssertTrue(worse.reason.contains("held-out feedback accuracy fell"), worse.reason)
        let same = AdoptionRule.decide(mnist: mnistBetter, feedback: AccuracyChange(count: 40, correctBefore: 30, correctAfter: 30),
                                       maximumMNISTDrop: 0.001)
        XCTAssertTrue(same.adopt, same.reason)
        XCTAssertTrue(same.reason.contains("stayed at 30 of 40"), same.reason)
    }
}
