import Foundation
import NumeralImprovement
import XCTest

final class ImprovementReportTests: XCTestCase {
    func sample(decision: ImprovementReport.Decision = .adopted, mnistCount: Int = 10_000) -> ImprovementReport {
        ImprovementReport(
            parentID: "mnist-base", candidateID: "tuned-1", candidatePath: "/data/models/tuned-1.safetensors",
            decision: decision, reason: "Adopted: because.",
            feedback: .init(labelled: 130, skipped: 2, training: 96, heldOut: 32, corrections: 60),
            heldOutFeedback: AccuracyChange(count: 32, correctBefore: 16, correctAfter: 28),
            mnistTest: AccuracyChange(count: mnistCount, correctBefore: mnistCount - 40, correctAfter: mnistCount - 45),
            settings: ImprovementSettings(), imagesPerEpoch: 4096, seconds: 61.5,
            created: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func testJSONRoundTripsAndCarriesPlainAccuracies() throws {
        let report = sample()
        let data = try report.jsonData()
        XCTAssertEqual(try ImprovementReport.decode(data), report)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["decision"] as? String, "adopted")
        let feedback = try XCTUnwrap(object["heldOutFeedback"] as? [String: Any])
        XCTAssertEqual(feedback["before"] as? Double, 0.5)
        XCTAssertEqual(feedback["after"] as? Double, 0.875)
    }

    func testMetricsForTheCardAndTheModelsTable() {
        let metrics = sample().metrics
        XCTAssertEqual(metrics[ImprovementReport.MetricKey.adopted], 1)
        XCTAssertEqual(metrics[ImprovementReport.MetricKey.feedbackAfter], 0.875)
        XCTAssertEqual(metrics[ImprovementReport.MetricKey.mnistAfter], 0.9955)
        XCTAssertEqual(metrics[ImprovementReport.MetricKey.mnistTestAccuracy], 0.9955)
        XCTAssertEqual(sample(decision: .rejected).metrics[ImprovementReport.MetricKey.adopted], 0)
        // A subset's accuracy must not pose as the full test-set figure.
        XCTAssertNil(sample(mnistCount: 2000).metrics[ImprovementReport.MetricKey.mnistTestAccuracy])
    }

    func testTextShowsBeforeAfterAndTheOutcome() {
        let text = sample().text
        XCTAssertTrue(text.contains("Held-out feedback (32)        50.00%    87.50%  +37.50 pp"), text)
        XCTAssertTrue(text.contains("MNIST test (10000)            99.60%    99.55%  -0.05 pp"), text)
        XCTAssertTrue(text.contains("3 epoch(s) of 4096 images (feedback and MNIST replay 1:3)"), text)
        XCTAssertTrue(text.contains("96 trained on (60 corrections), 32 held out"), text)
        XCTAssertTrue(text.contains("Active model is now tuned-1."), text)
        XCTAssertTrue(sample(decision: .rejected).text.contains("Active model stays mnist-base"))
    }

    func withGuard() -> ImprovementReport {
        var report = sample(decision: .rejected)
        let decision = AdoptionRule.decide(heldOut: AccuracyChange(count: 16, correctBefore: 15, correctAfter: 15),
                                           mnist: AccuracyChange(count: 10_000, correctBefore: 9961, correctAfter: 9959),
                                           shippedID: "mnist-base", mnistShippedCorrect: 9965, maximumMNISTDrop: 0.001)
        report.heldOutFeedback = decision.figures.heldOut
        report.adoption = decision.figures
        report.reason = decision.reason
        return report
    }

    /// `numeral improve --json`, the dashboard and the API say which rule decided, with the figures.
    func testTheJSONAndTextSayWhichRuleDecidedWithTheShippedCurrentAndCandidateFigures() throws {
        let report = withGuard()
        let data = try report.jsonData()
        XCTAssertEqual(try ImprovementReport.decode(data), report)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let adoption = try XCTUnwrap(object["adoption"] as? [String: Any])
        XCTAssertEqual(adoption["failedRules"] as? [String], ["held-out-gain"])
        XCTAssertEqual(adoption["passedRules"] as? [String], ["mnist-floor"])
        XCTAssertEqual(adoption["shippedID"] as? String, "mnist-base")
        XCTAssertEqual(adoption["mnistShipped"] as? Double, 0.9965)
        XCTAssertEqual(adoption["mnistCurrent"] as? Double, 0.9961)
        XCTAssertEqual(adoption["mnistCandidate"] as? Double, 0.9959)
        XCTAssertEqual(adoption["mnistFloor"] as? Double, 0.9955)
        let heldOut = try XCTUnwrap(adoption["heldOut"] as? [String: Any])
        XCTAssertEqual(heldOut["correctBefore"] as? Int, 15)
        XCTAssertEqual(heldOut["correctAfter"] as? Int, 15)

        let text = report.text
        XCTAssertTrue(text.contains("MNIST floor: shipped mnist-base 99.65% - 0.10 pp = 99.55%; current 99.61%, candidate 99.59%"), text)
        XCTAssertTrue(text.contains("Rules: held-out gain failed; MNIST floor passed"), text)
        XCTAssertTrue(text.contains("Kept aside by the held-out gain rule"), text)
        XCTAssertEqual(report.metrics[ImprovementReport.MetricKey.mnistShipped], 0.9965)
    }

    /// Reports written before the guard measured from the shipped model still load (the dashboard shows the latest).
    func testAReportWithoutTheGuardFiguresStillDecodes() throws {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: try sample().jsonData()) as? [String: Any])
        object["adoption"] = nil
        object["trainingDigest"] = nil
        let old = try ImprovementReport.decode(try JSONSerialization.data(withJSONObject: object))
        XCTAssertNil(old.adoption)
        XCTAssertEqual(old, sample())
    }
}
