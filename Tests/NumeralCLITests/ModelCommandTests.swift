import Foundation
import NumeralRecognition
import NumeralStore
import XCTest

final class ModelCommandTests: XCTestCase {
    /// Issue 29: `model use` activated a model `improve` had kept aside without a word.
    func testUsingAModelImproveKeptAsideNeedsForceAndSaysWhy() throws {
        let shipped = CLIRunner.repoRoot.appendingPathComponent("Models/\(ModelLocator.shippedFileName)")
        guard FileManager.default.fileExists(atPath: shipped.path) else { throw XCTSkip("no shipped model at \(shipped.path)") }
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.path

        // The first use registers the shipped model as the active base version.
        let list = try CLIRunner.run(["model", "list", "--data-dir", data])
        XCTAssertEqual(list.status, 0, list.stderr)
        let shippedID = try XCTUnwrap(list.lines.first { $0.hasPrefix("* ") }?.split(separator: " ").dropFirst().first.map(String.init),
                                      list.stdout)
        // A candidate `improve` kept aside: its own files, registered inactive with adopted = 0.
        let models = dir.appendingPathComponent("models")
        let weights = models.appendingPathComponent("tuned-aside.safetensors")
        try FileManager.default.copyItem(at: shipped, to: weights)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: DigitModel.cardPath(forWeights: shipped.path)),
                                         to: URL(fileURLWithPath: DigitModel.cardPath(forWeights: weights.path)))
        try PredictionStore(directory: data).registerModel(ModelVersion(id: "tuned-aside", path: weights.path, parentID: shippedID,
                                                                        metrics: ["improvement_adopted": 0]))

        let refused = try CLIRunner.run(["model", "use", "tuned-aside", "--data-dir", data])
        XCTAssertEqual(refused.status, 1, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("Model tuned-aside is not made active: `numeral improve` kept it aside"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("`numeral model use tuned-aside --force` activates it anyway"), refused.stderr)
        let after = try CLIRunner.run(["model", "list", "--data-dir", data])
        XCTAssertTrue(after.lines.contains { $0.hasPrefix("* \(shippedID)") }, "the active model stays: \(after.stdout)")

        let forced = try CLIRunner.run(["model", "use", "tuned-aside", "--force", "--data-dir", data])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(forced.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       "Active model is now tuned-aside, forced although `numeral improve` kept it aside.")
        let now = try CLIRunner.run(["model", "list", "--data-dir", data])
        XCTAssertTrue(now.lines.contains { $0.hasPrefix("* tuned-aside") }, now.stdout)
    }
}
