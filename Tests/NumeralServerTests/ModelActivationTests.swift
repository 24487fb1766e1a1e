import Foundation
import NumeralImprovement
import NumeralRecognition
import XCTest

/// The API's activate follows `numeral model use`: a version improve kept aside needs force.
final class ModelActivationTests: XCTestCase {
    func testActivatingAModelImproveKeptAsideNeedsForce() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        let registry = try ModelRegistry(dataDirectory: harness.directory,
                                         shippedModelLocator: ModelLocator(explicitPath: ServerHarness.shippedModel))
        let base = try registry.loadActiveModel()
        let aside = base.copy()
        aside.card.id = "tuned-aside"
        aside.card.parentID = base.id
        try registry.register(aside, activate: false, metrics: [ImprovementReport.MetricKey.adopted: 0])

        try await harness.run { client in
            let refused = try await client.call(.post, "/api/v1/models/tuned-aside/activate", token: harness.admin)
            XCTAssertEqual(refused.status, .conflict, refused.text)
            XCTAssertTrue(refused.errorMessage.contains("`numeral improve` kept it aside"), refused.errorMessage)
            XCTAssertTrue(refused.errorMessage.contains("/api/v1/models/tuned-aside/activate?force=true"), refused.errorMessage)
            XCTAssertEqual(try registry.activeModelID(), base.id)

            let forced = try await client.call(.post, "/api/v1/models/tuned-aside/activate?force=true", token: harness.admin)
            XCTAssertEqual(forced.status, .ok, forced.text)
            XCTAssertEqual(forced.json["active"] as? Bool, true)
        }
        XCTAssertEqual(try registry.activeModelID(), "tuned-aside")
    }
}
