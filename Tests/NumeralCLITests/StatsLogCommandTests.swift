import Foundation
import XCTest
@testable import NumeralStore

/// `numeral log ...` and `numeral stats` as a user runs them: exit codes, stdout, stderr.
final class StatsLogCommandTests: XCTestCase {
    private struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private var numeral: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("numeral")
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: numeral.path),
                          "\(numeral.path) is not built (`swift build` builds it)")
        let help = try run(["stats", "--help"])
        try XCTSkipUnless(help.status == 0 && help.stdout.contains("--data-dir"),
                          "the numeral binary does not register StatsCommand/LogCommand in main.swift yet")
    }

    private func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = numeral
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes concurrently so neither can fill up and block the child.
        let stderrBox = DataBox()
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let stderr = stderrBox.data
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    private func assertCleanFailure(_ result: Run, mentions text: String, line: UInt = #line) {
        XCTAssertEqual(result.status, 1, result.stderr, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("numeral: "), result.stderr, line: line)
        XCTAssertTrue(result.stderr.contains(text), result.stderr, line: line)
        for crashSign in ["Fatal error", "Stack dump", "backtrace"] {
            XCTAssertFalse(result.stderr.contains(crashSign), result.stderr, line: line)
        }
    }

    func testImportStatsAndExport() throws {
        let directory = try CLIRunner.temporaryDirectory().path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let csv = directory + "/seed.csv"
        try Data("""
            timestamp,input_type,digit_predicted,confidence,digit_actual
            2024-01-05 13:45:10,canvas,7,0.98,7
            2024-01-05 13:46:10,canvas,1,0.45,7
            2024-01-05 14:46:10,upload,4,0.88,9
            2024-01-06 09:00:00,canvas,3,0.99,

            """.utf8).write(to: URL(fileURLWithPath: csv))
        let data = directory + "/data"

        let imported = try run(["log", "import", "--csv", csv, "--data-dir", data])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("Imported 4 prediction(s), skipped 0"), imported.stdout)
        XCTAssertTrue(try run(["log", "import", "--csv", csv, "--data-dir", data]).stdout
            .contains("Imported 0 prediction(s), skipped 4"))

        let json = try run(["stats", "--json", "--data-dir", data, "--input-type", "canvas", "--to", "2024-01-05"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try AnalyticsReport.decode(json: Data(json.stdout.utf8))
        XCTAssertEqual(report.accuracy, AccuracySummary(labelled: 2, correct: 1))
        XCTAssertEqual(report.filter.to, UTCTimestamp.parse("2024-01-06T00:00:00Z"), "a date alone includes that whole day")
        XCTAssertEqual(report.confusion[7][1], 1)

        let text = try run(["stats", "--data-dir", data])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Accuracy:    33.3% (1 of 3 with feedback)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Confusion matrix"), text.stdout)

        let out = directory + "/out.csv"
        let exported = try run(["log", "export", "--csv", out, "--data-dir", data])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let exportedText = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(exportedText.hasPrefix("timestamp,input_type,digit_predicted,confidence,digit_actual,"))
        XCTAssertEqual(exportedText.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 5)
    }

    func testFailuresAreOneLineMessagesWithExitCode1() throws {
        let directory = try CLIRunner.temporaryDirectory().path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        assertCleanFailure(try run(["stats", "--data-dir", directory + "/none"]), mentions: "There is no prediction log")
        assertCleanFailure(try run(["log", "import", "--csv", directory + "/missing.csv", "--data-dir", directory]),
                           mentions: "Cannot read the CSV file")

        let corrupt = directory + "/corrupt"
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 2048).write(to: URL(fileURLWithPath: corrupt + "/numeral.sqlite"))
        assertCleanFailure(try run(["stats", "--data-dir", corrupt]), mentions: "not a valid SQLite database")

        let badRows = directory + "/bad.csv"
        try Data("timestamp,input_type,digit_predicted,confidence\n2024-01-01,canvas,1,2.5\n".utf8)
            .write(to: URL(fileURLWithPath: badRows))
        let partial = try run(["log", "import", "--csv", badRows, "--data-dir", directory])
        XCTAssertEqual(partial.status, 1, "refused rows make the exit code 1")
        XCTAssertTrue(partial.stdout.contains("line 2: "), partial.stdout)

        let usage = try run(["stats", "--from", "last tuesday", "--data-dir", directory])
        XCTAssertNotEqual(usage.status, 0)
        XCTAssertTrue(usage.stderr.contains("--from \"last tuesday\" is not a date"), usage.stderr)
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
