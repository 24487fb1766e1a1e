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
}
