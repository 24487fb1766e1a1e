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

    /// The picture's content, not its format, decides how it is read: a bitmap saved as JPEG is
    /// read as a scan, a noisy, unevenly lit picture saved as PNG as a photo; the JSON says which,
    /// why, and whether the reading is unsure. --photo and --scan override, not both.
    func testPicturesAreRoutedByContentAndSayHowTheyWereRead() throws {
        let test = try MNISTDataset.load(directory: try CLIRunner.requireMNIST(), split: .test).prefix(1)
        let bitmap = dir.appendingPathComponent("bitmap.png").path
        try PNGCodec.writeGray(path: bitmap, image: test.grayImage(at: 0), invert: true)
        // The same digit, enlarged onto grey paper with a light gradient and noise, saved as PNG.
        let side = 224
        var random = SplitMix64(seed: 3)
        var rgba = [UInt8](repeating: 255, count: side * side * 4)
        let digit = test.grayImage(at: 0)
        for y in 0..<side {
            for x in 0..<side {
                let ink = digit.pixels[(y * 28 / side) * 28 + x * 28 / side]
                let light = 0.65 + 0.25 * Double(x + y) / Double(2 * side)
                let v = max(0, min(1, light * (1 - 0.85 * Double(ink)) + Double(Int(random.next() % 11) - 5) / 255))
                for c in 0..<3 { rgba[4 * (y * side + x) + c] = UInt8(v * 255) }
            }
        }
        let photo = dir.appendingPathComponent("photo.png").path
        try PNGCodec.writeRGBA(path: photo, width: side, height: side, rgba: rgba)
        let out = try CLIRunner.run(["predict", bitmap, photo, "--json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let results = try out.lines.map(CLIRunner.json)
        guard results.count == 2 else { return XCTFail("expected two results: \(out.stdout) \(out.stderr)") }
        XCTAssertEqual(results[0]["read_as"] as? String, "scan", "\(results[0])")
        XCTAssertEqual(results[1]["read_as"] as? String, "photo", "\(results[1])")
        for r in results {
            XCTAssertEqual(r["number"] as? String, String(test.labels[0]), "\(r)")
            XCTAssertNotNil(r["unsure"] as? Bool)
            XCTAssertFalse((r["reason"] as? String ?? "").isEmpty)
        }
        let forced = try CLIRunner.run(["predict", photo, "--scan", "--json"])
        XCTAssertEqual(try CLIRunner.json(forced.stdout)["read_as"] as? String, "scan")
        let both = try CLIRunner.run(["predict", photo, "--scan", "--photo"])
        XCTAssertEqual(both.status, 64, both.stderr)
    }

    /// Issue 29: `predict drawing.json` answered "Save the picture as PNG or JPEG", and
    /// `predict --strokes a.json b.json` took b.json for a picture. Drawing files are read as
    /// drawings wherever they are given, told apart by their content.
    func testDrawingFilesGivenAsArgumentsAreReadAsDrawings() throws {
        let a = dir.appendingPathComponent("a.json"), b = dir.appendingPathComponent("b.jsonl")
        try #"{"strokes": \#(seven())}"#.write(to: a, atomically: true, encoding: .utf8)
        try #"  {"strokes": [[[100,30],[100,230]]]}"#.write(to: b, atomically: true, encoding: .utf8)
        let positional = try CLIRunner.run(["predict", a.path, "--json"])
        XCTAssertEqual(positional.status, 0, positional.stderr + positional.stdout)
        XCTAssertEqual(try CLIRunner.json(positional.stdout)["number"] as? String, "7")
        let both = try CLIRunner.run(["predict", "--strokes", a.path, b.path, "--json"])
        XCTAssertEqual(both.status, 0, both.stderr + both.stdout)
        XCTAssertEqual(try both.lines.map(CLIRunner.json).compactMap { $0["number"] as? String }.sorted(), ["1", "7"])
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
