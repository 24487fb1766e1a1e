import Foundation
import XCTest

/// Letters from the command line with the shipped letter models: `predict --classes`,
/// `eval --letters` on JSON Lines characters, and a model refused for a set it does not read.
final class LettersCommandTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws {
        dir = try CLIRunner.temporaryDirectory()
        guard FileManager.default.fileExists(atPath: CLIRunner.repoRoot.appendingPathComponent("Models/letters-cnn.safetensors").path) else {
            throw XCTSkip("the letters model is not in Models/")
        }
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Block capitals as anyone draws them with a mouse, in a 280×280 canvas.
    static let capitals: [(String, String)] = [
        ("T", "[[[40, 40], [140, 40], [240, 40]], [[140, 40], [140, 150], [140, 250]]]"),
        ("L", "[[[80, 30], [80, 140], [80, 250], [150, 250], [220, 250]]]"),
        ("A", "[[[60, 250], [140, 30], [220, 250]], [[95, 160], [185, 160]]]"),
        ("M", "[[[60, 250], [60, 30], [140, 140], [220, 30], [220, 250]]]"),
        ("F", "[[[70, 30], [70, 250]], [[70, 30], [200, 30]], [[70, 140], [170, 140]]]"),
    ]

    private func write(_ name: String, _ lines: [String]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testPredictReadsLettersAsTextAndSaysWhichSet() throws {
        let file = try write("capitals.jsonl", Self.capitals.map { #"{"strokes": \#($0.1), "width": 280, "height": 280, "label": "\#($0.0)"}"# })
        let out = try CLIRunner.run(["predict", "--classes", "letters", "--strokes", file, "--json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let results = try out.lines.map(CLIRunner.json)
        XCTAssertEqual(results.compactMap { $0["text"] as? String }, Self.capitals.map(\.0), out.stdout)
        for result in results {
            XCTAssertEqual(result["classes"] as? String, "letters")
            XCTAssertNil(result["number"], "a letter reading has no number")
            let digit = try XCTUnwrap((result["digits"] as? [[String: Any]])?.first)
            XCTAssertNil(digit["digit"], "letters carry a character, not a digit index")
            XCTAssertEqual((digit["top3"] as? [[String: Any]])?.count, 3)
        }
        // A digit reading keeps its number and gains its text.
        let seven = try write("seven.json", [#"{"strokes": [[[60, 50], [220, 50], [110, 250]]], "width": 280, "height": 280}"#])
        let digits = try CLIRunner.json(try CLIRunner.run(["predict", seven, "--json"]).stdout)
        XCTAssertEqual(digits["number"] as? String, "7")
        XCTAssertEqual(digits["text"] as? String, "7")
        XCTAssertEqual((digits["digits"] as? [[String: Any]])?.first?["character"] as? String, "7")
    }

    func testEvalLettersPrintsExactAndCaseFoldedAccuracy() throws {
        var lines = Self.capitals.map { #"{"strokes": \#($0.1), "label": "\#($0.0)", "writer": 1}"# }
        lines.append(#"{"strokes": [[[10, 10], [10, 90]]], "label": "7"}"#)
        let file = try write("labelled.jsonl", lines)
        let out = try CLIRunner.run(["eval", "--letters", file, "--json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let result = try CLIRunner.json(out.stdout)
        XCTAssertEqual(result["classes"] as? String, "letters", "letters unless --classes says otherwise")
        XCTAssertEqual(result["count"] as? Int, 5)
        XCTAssertEqual(result["skipped_other_characters"] as? Int, 1, "the digit is not in the letters set")
        XCTAssertEqual(result["exact_accuracy"] as? Double, 1)
        XCTAssertEqual(result["casefolded_accuracy"] as? Double, 1)
        let text = try CLIRunner.run(["eval", "--letters", file])
        XCTAssertTrue(text.stdout.contains("Exact case: 100.00%   case-folded: 100.00%"), text.stdout)
        XCTAssertTrue(text.stdout.contains("1 characters outside the set skipped"), text.stdout)
        let bad = try CLIRunner.run(["eval", "--letters", try write("bad.jsonl", [#"{"strokes": [[[0, 0]]], "label": "ab"}"#])])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("not one character"), bad.stderr)
    }

    func testAModelIsRefusedForASetItDoesNotRead() throws {
        let letters = CLIRunner.repoRoot.appendingPathComponent("Models/letters-cnn.safetensors").path
        let file = try write("t.json", [#"{"strokes": \#(Self.capitals[0].1)}"#])
        let out = try CLIRunner.run(["predict", "--model", letters, file])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("reads letters, not digits"), out.stderr)
        XCTAssertTrue(out.stderr.contains("--classes letters"), out.stderr)
    }
}
