import Foundation
import XCTest

final class EvalBenchCommandTests: XCTestCase {
    func testEvalJSONHasAccuracyAndCountAndWritesTheMistakesGrid() throws {
        _ = try CLIRunner.requireMNIST()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = dir.appendingPathComponent("mistakes.png").path
        let out = try CLIRunner.run(["eval", "--json", "--limit", "2000", "--mistakes", grid])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try CLIRunner.json(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(report["count"] as? Int, 2000)
        XCTAssertGreaterThan(report["accuracy"] as? Double ?? 0, 0.99)
        XCTAssertEqual((report["confusion"] as? [[Int]])?.count, 10)
        XCTAssertTrue(FileManager.default.fileExists(atPath: grid))
    }

    func testEvalWithoutDataSaysWhereItLooked() throws {
        let out = try CLIRunner.run(["eval", "--data", "/nonexistent/mnist"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("/nonexistent/mnist"), out.stderr)
    }

    func testBenchJSONReportsLatencyAndMemory() throws {
        let out = try CLIRunner.run(["bench", "--json", "--count", "300"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try CLIRunner.json(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        for key in ["predict_p50_ms", "predict_p95_ms", "batch_images_per_s", "png_p50_ms", "rss_after_10k_mb", "model_load_ms"] {
            XCTAssertNotNil(report[key] as? Double, "missing \(key) in \(report)")
        }
    }

    /// Without MNIST or pen digits, bench still measures latency and memory (on synthetic
    /// digits), says what it skipped and why, and every figure has a unit.
    func testBenchWithoutDatasetsMeasuresOnSyntheticDigitsAndSaysWhatItSkipped() throws {
        let out = try CLIRunner.run(["bench", "--count", "100", "--model", CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path],
                                    environment: ["NUMERAL_MNIST": "/nonexistent/mnist", "NUMERAL_PENDIGITS": ""])
        XCTAssertEqual(out.status, 0, out.stderr)
        let figures = out.lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix("  Skipped") }
        XCTAssertGreaterThanOrEqual(figures.count, 8, out.stdout)
        for line in figures {
            XCTAssertTrue(["(ms)", "(MB", "(images/s", "(s)"].contains { line.contains($0) }, "no unit: \(line)")
            let value = Double(line.split(separator: " ").last.map(String.init) ?? "") ?? 0
            XCTAssertGreaterThan(value, 0, line)
        }
        XCTAssertTrue(out.stdout.contains("Skipped: MNIST test images: not found"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Skipped: Training throughput"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Skipped: Pen digits"), out.stdout)
    }

    func testDataFetchEndsWithAClearResultInsteadOfHanging() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = Date()
        let out = try CLIRunner.run(["data", "fetch", "--data", dir.path, "--timeout", "5"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 200)
        if out.status != 0 {
            XCTAssertTrue(out.stderr.contains("could not download"), out.stderr)
            XCTAssertTrue(out.stderr.contains(dir.path), "the message says where to put the files by hand")
        }
    }
}
