import Foundation
import NumeralVision
import XCTest

final class PredictCommandTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try CLIRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func seven(offsetX: Double = 0) -> String {
        "[[[\(30 + offsetX),40],[\(170 + offsetX),40],[\(100 + offsetX),220]]]"
    }

    func testStrokesJSONLinesGiveOneResultPerLineInOrderWithErrorsInPlace() throws {
        let one = "[[[100,30],[100,230]]]"
        let lines = [
            #"{"strokes": \#(seven())}"#,
            #"{"strokes": [[[1, "oops"]]]}"#,
            "",
            #"{"strokes": \#(one), "width": 280, "height": 280}"#,
            #"{"strokes": []}"#,
            #"{"strokes": \#(seven()[..<seven().index(before: seven().endIndex)]), \#(one.dropFirst().dropLast().replacingOccurrences(of: "100", with: "400"))]}"#,
        ]
        let file = dir.appendingPathComponent("many.jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["predict", "--strokes", file.path, "--json"])
        XCTAssertEqual(out.status, 1, "a bad line makes the exit status 1")
        let results = try out.lines.map(CLIRunner.json)
        guard results.count == 5 else { return XCTFail("expected five results: \(out.stdout) \(out.stderr)") }
        XCTAssertEqual(results[0]["number"] as? String, "7")
        XCTAssertEqual((results[0]["top3"] as? [[String: Any]])?.count, 3)
        XCTAssertNotNil(results[0]["confidence"] as? Double)
        XCTAssertEqual(results[1]["line"] as? Int, 2)
        XCTAssertNotNil(results[1]["error"] as? String)
        XCTAssertEqual(results[2]["number"] as? String, "1")
        XCTAssertTrue((results[3]["error"] as? String ?? "").lowercased().contains("nothing"), "\(results[3])")
        XCTAssertEqual(results[4]["number"] as? String, "71", "two digits side by side read as a number: \(results[4])")
        XCTAssertEqual((results[4]["digits"] as? [Any])?.count, 2)
    }

    func testSeveralPNGsIncludingABadOneKeepOrder() throws {
        let test = try MNISTDataset.load(directory: try CLIRunner.requireMNIST(), split: .test).prefix(2)
        let a = dir.appendingPathComponent("a.png").path, b = dir.appendingPathComponent("b.png").path
        let bad = dir.appendingPathComponent("bad.png").path
        try PNGCodec.writeGray(path: a, image: test.grayImage(at: 0), invert: true)
        try PNGCodec.writeGray(path: b, image: test.grayImage(at: 1))
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: URL(fileURLWithPath: bad))
        let out = try CLIRunner.run(["predict", a, bad, b, "--json"])
        let results = try out.lines.map(CLIRunner.json)
        XCTAssertEqual(results.map { $0["source"] as? String }, [a, bad, b])
        guard results.count == 3 else { return XCTFail("expected three results: \(out.stdout) \(out.stderr)") }
        XCTAssertEqual(results[0]["number"] as? String, String(test.labels[0]))
        XCTAssertNotNil(results[1]["error"])
        XCTAssertEqual(results[2]["number"] as? String, String(test.labels[1]))
        XCTAssertEqual(out.status, 1)
    }

    func testMissingModelIsAClearMessageNotACrash() throws {
        let out = try CLIRunner.run(["predict", "--strokes", "x.json", "--model", dir.appendingPathComponent("none.safetensors").path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("No model found"), out.stderr)
    }

    func testCorruptModelFileIsReportedPrecisely() throws {
        let weights = dir.appendingPathComponent("m.safetensors")
        try Data(repeating: 0xFF, count: 64).write(to: weights)
        try FileManager.default.copyItem(at: CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.json"),
                                         to: dir.appendingPathComponent("m.json"))
        let drawing = dir.appendingPathComponent("d.json")
        try #"{"strokes": [[[0,0],[0,10]]]}"#.write(to: drawing, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["predict", "--strokes", drawing.path, "--model", weights.path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("header"), out.stderr)
    }
}
