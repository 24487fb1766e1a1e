import Foundation
import XCTest

/// `numeral eval --stretched-scans`, `eval --narrow` and `train-pen` as a user runs them.
final class AccuracyCommandTests: XCTestCase {
    func testStretchedScansAndNarrowDigitsAreMeasured() throws {
        _ = try CLIRunner.requireMNIST()
        let scans = try CLIRunner.run(["eval", "--stretched-scans", "200", "--json", "--mistakes",
                                       FileManager.default.temporaryDirectory.appendingPathComponent("scan-mistakes.png").path])
        XCTAssertEqual(scans.status, 0, scans.stderr)
        let report = try CLIRunner.json(scans.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(report["count"] as? Int, 200)
        XCTAssertGreaterThan(report["accuracy"] as? Double ?? 0, 0.85)

        let narrow = try CLIRunner.run(["eval", "--narrow", "--json"])
        XCTAssertEqual(narrow.status, 0, narrow.stderr)
        let result = try CLIRunner.json(narrow.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(result["zeros"] as? Int, 96)
        XCTAssertEqual(result["aspect_floor"] as? Double, 0.5)

        let both = try CLIRunner.run(["eval", "--narrow", "--stretched-scans", "10"])
        XCTAssertEqual(both.status, 64, "usage error: \(both.stderr)")
        XCTAssertTrue(both.stderr.contains("choose one of"), both.stderr)
        let tooMany = try CLIRunner.run(["eval", "--stretched-scans", "6000"])
        XCTAssertNotEqual(tooMany.status, 0)
        XCTAssertTrue(tooMany.stderr.contains("1...5000"), tooMany.stderr)
    }

    func testTrainPenRefusesToOverwriteAndTrainsAFileTheRecognizerLoads() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pens = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"]
            ?? CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/pendigits/pendigits-orig-train.json").path
        guard FileManager.default.fileExists(atPath: pens) else { throw XCTSkip("pen digits not found: set NUMERAL_PENDIGITS") }
        let model = dir.appendingPathComponent("pen.safetensors").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: model))
        let refused = try CLIRunner.run(["train-pen", "--epochs", "1", "--pen-digits", pens, "-o", model])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("already exists"), refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: model, encoding: .utf8), "keep")

        let trained = try CLIRunner.run(["train-pen", "--epochs", "1", "--hidden", "32", "--pen-digits", pens, "-o", model, "--force"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        // A drawing read with it, chosen through $NUMERAL_TRAJECTORY_MODEL like the app and the server.
        let drawing = dir.appendingPathComponent("seven.json").path
        try Data(#"{"strokes": [[[30, 40], [170, 40], [90, 240]]]}"#.utf8).write(to: URL(fileURLWithPath: drawing))
        let read = try CLIRunner.run(["predict", "--strokes", drawing, "--json"], environment: ["NUMERAL_TRAJECTORY_MODEL": model])
        XCTAssertEqual(read.status, 0, read.stderr)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: dir.appendingPathComponent("pen.json").path))
        let broken = try CLIRunner.run(["predict", "--strokes", drawing], environment: ["NUMERAL_TRAJECTORY_MODEL": model])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("pen.json"), broken.stderr)
    }
}
