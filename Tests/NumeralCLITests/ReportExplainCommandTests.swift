import Foundation
import XCTest

/// `numeral report` and `numeral explain` as a user runs them.
final class ReportExplainCommandTests: XCTestCase {
    private func penDigits() throws -> String {
        let env = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"]
        let fallback = CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/pendigits/pendigits-orig-train.json").path
        for p in [env, fallback].compactMap({ $0 }) where FileManager.default.fileExists(atPath: p) { return p }
        throw XCTSkip("pen digits not found: set NUMERAL_PENDIGITS")
    }

    private func tool(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 127 { throw XCTSkip("\(args[0]) is not installed (poppler-utils)") }
        XCTAssertEqual(p.terminationStatus, 0, "\(args)")
        return String(decoding: data, as: UTF8.self)
    }

    /// The report's numbers are `numeral stats --json`'s for the same filters.
    func testReportShowsTheNumbersOfStatsForTheSameFilters() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("log").path
        let seeded = try CLIRunner.run(["dashboard", "seed-demo", "--data-dir", data, "--pen-digits", try penDigits(), "--count", "300"])
        XCTAssertEqual(seeded.status, 0, seeded.stderr)
        let from = String(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-7 * 86_400)).prefix(10))
        let filters = ["--data-dir", data, "--input-type", "canvas", "--from", from]
        let stats = try CLIRunner.json(try CLIRunner.run(["stats", "--json"] + filters).stdout)
        let accuracy = try XCTUnwrap(stats["accuracy"] as? [String: Any])
        let summary = try XCTUnwrap(stats["summary"] as? [String: Any])
        let pairs = try XCTUnwrap(stats["mostConfused"] as? [[String: Any]])
        for paper in ["a4", "letter"] {
            let pdf = dir.appendingPathComponent("report-\(paper).pdf").path
            let run = try CLIRunner.run(["report", "--pdf", pdf, "--paper", paper] + filters)
            XCTAssertEqual(run.status, 0, run.stderr)
            let info = try tool(["pdfinfo", pdf])
            let lines = info.split(separator: "\n").map { $0.replacingOccurrences(of: " +", with: " ", options: .regularExpression) }
            XCTAssertTrue(lines.contains("Pages: 2"), info)
            XCTAssertTrue(lines.contains(paper == "a4" ? "Page size: 595.276 x 841.89 pts (A4)" : "Page size: 612 x 792 pts (letter)"), info)
            let text = try tool(["pdftotext", "-layout", pdf, "-"])
            let correct = try XCTUnwrap(accuracy["correct"] as? Int), labelled = try XCTUnwrap(accuracy["labelled"] as? Int)
            XCTAssertTrue(text.contains("\(correct) of \(labelled) predictions with feedback were right"), text)
            XCTAssertTrue(text.contains(String(format: "%.2f %%", try XCTUnwrap(accuracy["accuracy"] as? Double) * 100)))
            XCTAssertTrue(text.contains(String(format: "%.2f %%", try XCTUnwrap(summary["meanConfidence"] as? Double) * 100)))
            XCTAssertTrue(text.contains("from \(from) 00:00"))
            XCTAssertTrue(text.contains("input type: canvas"))
            let total = try XCTUnwrap(summary["total"] as? Int)
            XCTAssertTrue(run.stdout.contains("\(total) predictions"))
            for p in pairs.prefix(6) {
                XCTAssertTrue(text.contains("Drawn \(p["actual"]!), read as \(p["predicted"]!)"), "pair \(p)")
            }
        }
        let bad = try CLIRunner.run(["report", "--pdf", dir.appendingPathComponent("x.pdf").path, "--data-dir", data, "--paper", "a5"])
        XCTAssertEqual(bad.status, 64)
        let nowhere = try CLIRunner.run(["report", "--pdf", "/nonexistent-folder/r.pdf", "--data-dir", data])
        XCTAssertEqual(nowhere.status, 1)
        XCTAssertTrue(nowhere.stderr.contains("/nonexistent-folder"), nowhere.stderr)
    }

    func testExplainWritesAPictureAndJSONMaps() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A "1" and a "7" side by side, drawn as canvas strokes.
        let drawing = dir.appendingPathComponent("17.json").path
        try #"{"width": 600, "height": 300, "strokes": [[[100, 50], [100, 250]], [[300, 60], [450, 60], [360, 250]]]}"#
            .write(toFile: drawing, atomically: true, encoding: .utf8)
        let png = dir.appendingPathComponent("why.png").path
        let run = try CLIRunner.run(["explain", drawing, "--png", png, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try CLIRunner.json(run.stdout)
        let digits = try XCTUnwrap(object["digits"] as? [[String: Any]])
        XCTAssertEqual(digits.count, 2)
        XCTAssertEqual(object["number"] as? String, "17")
        for d in digits {
            XCTAssertEqual((d["winner_map"] as? [Double])?.count, 784)
            XCTAssertEqual((d["runner_up_map"] as? [Double])?.count, 784)
            XCTAssertEqual((d["input"] as? [Double])?.count, 784)
            let maps = try XCTUnwrap(d["feature_maps"] as? [[String: Any]])
            XCTAssertEqual(maps.count, 2)
            XCTAssertEqual((maps[0]["values"] as? [Double])?.count, 32 * 28 * 28)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
        let missing = try CLIRunner.run(["explain", dir.appendingPathComponent("none.png").path, "--png", png])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("none.png"), missing.stderr)
    }
}
