import Foundation
import XCTest
@testable import NumeralStore

/// The log's commands on a log a user or a tool has damaged, and on a mistyped folder.
final class LogCommandTests: XCTestCase {
    private func makeLog(in directory: String, rows: Int) throws -> PredictionStore {
        let store = try PredictionStore(directory: directory)
        for n in 0..<rows {
            try store.record(PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 60),
                                              inputType: .canvas, predicted: String(n % 10), confidence: 0.9,
                                              actual: String(n % 10), modelVersion: "m"))
        }
        return store
    }

    /// One row with an unknown input type made stats, export and improve all fail with
    /// "not a valid SQLite database… Move it aside".
    func testOneBadRowIsSkippedAndNamedByStatsAndExport() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try makeLog(in: dir.path, rows: 5)
        try XCTUnwrap(store.log as? SQLitePredictionLog).pool.write { db in try db.execute(sql: "UPDATE predictions SET input_type = 'scanner' WHERE id = 3") }

        let stats = try CLIRunner.run(["stats", "--json", "--data-dir", dir.path])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertEqual((try CLIRunner.json(stats.stdout)["summary"] as? [String: Any])?["total"] as? Int, 4, stats.stdout)
        XCTAssertTrue(stats.stderr.contains("Skipped 1 unreadable row") && stats.stderr.contains("id 3"), stats.stderr)
        XCTAssertFalse(stats.stderr.contains("Move it aside"), stats.stderr)

        let csv = dir.appendingPathComponent("out.csv").path
        let export = try CLIRunner.run(["log", "export", "--csv", csv, "--data-dir", dir.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.contains("Exported 4 prediction(s)"), export.stdout)
        XCTAssertTrue(export.stderr.contains("id 3: prediction 3 has an unknown input type \"scanner\""), export.stderr)
    }

    func testImproveRefusesAFolderWithoutALogAndCreatesNothing() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let typo = dir.appendingPathComponent("nmueral").path
        let out = try CLIRunner.run(["improve", "--data-dir", typo])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("There is no prediction log in \(typo)") && out.stderr.contains("typo"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: typo), "no empty log was created")
    }
}

extension LogCommandTests {
    func testImportingAFolderSaysSoInWords() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("log.csv")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = try CLIRunner.run(["log", "import", "--csv", folder.path, "--data-dir", dir.path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("folder"), out.stderr)
        XCTAssertFalse(out.stderr.contains("NSCocoaErrorDomain"), out.stderr)
    }
}
