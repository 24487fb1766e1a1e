import Foundation
import XCTest

/// The exact text a person sees when a file from outside is bad: it names the file, says what is
/// wrong and what to do, and never shows Swift or Foundation internals.
final class ErrorMessageTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try CLIRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func file(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private var drawing: String { get throws { try file("d.json", #"{"strokes": [[[30,40],[170,40],[100,220]]]}"#) } }

    /// A copy of the shipped model whose card's architecture JSON is edited by `change`.
    private func model(_ name: String, card change: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let models = CLIRunner.repoRoot.appendingPathComponent("Models")
        var card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: models.appendingPathComponent("mnist-cnn.json"))) as? [String: Any])
        var architecture = try XCTUnwrap(card["architecture"] as? [String: Any])
        change(&architecture)
        card["architecture"] = architecture
        try JSONSerialization.data(withJSONObject: card).write(to: dir.appendingPathComponent("\(name).json"))
        let weights = dir.appendingPathComponent("\(name).safetensors")
        try FileManager.default.copyItem(at: models.appendingPathComponent("mnist-cnn.safetensors"), to: weights)
        return weights.path
    }

    private func assertNoInternals(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        for bad in ["DecodingError", "Array<", "unkeyed", "NSCocoaErrorDomain", "Swift."] {
            XCTAssertFalse(text.contains(bad), text, file: file, line: line)
        }
    }

    func testTheAppWithoutADisplaySaysSoInsteadOfRunningUnseen() throws {
        // SDL falls back to its invisible "offscreen" driver when no display is set; the app
        // must refuse that (unless SDL_VIDEODRIVER asks for it), not run where nobody sees it.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CLIRunner.binary())
        let data = try CLIRunner.temporaryDirectory()
        process.arguments = ["app", "--data-dir", data.path]
        var env = ProcessInfo.processInfo.environment
        for key in ["DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"] { env.removeValue(forKey: key) }
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        XCTAssertEqual(process.terminationReason, .exit, "the app ran without a display until the watchdog stopped it")
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(message.contains("no display was found"), message)
        XCTAssertTrue(message.contains("xvfb-run"), message)
    }

    func testDrawingWithTheWrongShapeNamesTheField() throws {
        let path = try file("bad.json", #"{"strokes": 5}"#)
        let out = try CLIRunner.run(["predict", "--strokes", path])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stdout, "\(path): error: The file is not a valid drawing: \"strokes\" should be a list [...], not a number. "
            + #"Expected {"strokes": [[[x, y], ...], ...], "width": w, "height": h}."# + "\n")
        assertNoInternals(out.stdout + out.stderr)
    }

    func testAFolderNamedLikeAPictureIsNotACocoaError() throws {
        let folder = dir.appendingPathComponent("x.png").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let out = try CLIRunner.run(["predict", folder])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stdout, "\(folder): error: Cannot read picture \(folder): it is a folder, not a picture file.\n")
    }

    func testCardWithImpossibleClassesIsRefusedNotACrash() throws {
        // "classes": -1 was a SIGSEGV (exit 139).
        let weights = try model("negative") { $0["classes"] = -1 }
        let out = try CLIRunner.run(["predict", "--strokes", try drawing, "--model", weights, "--json"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stdout, "")
        XCTAssertEqual(out.stderr, "numeral: The model card \(dir.appendingPathComponent("negative.json").path) is unusable: "
            + "its architecture is refused: \"classes\" is -1, but a model reads the 10 digits, the 52 letters or the 62 of both. "
            + "Use the card written with the weights by `numeral train`, or another model (--model PATH, `numeral model use ID`).\n")
    }

    func testCardWithTextForStagesExplainsTheField() throws {
        let weights = try model("text") { $0["stages"] = 5 }
        let out = try CLIRunner.run(["predict", "--strokes", try drawing, "--model", weights])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "numeral: The model card \(dir.appendingPathComponent("text.json").path) is unusable: "
            + "\"architecture.stages\" should be a list [...], not a number. "
            + "Use the card written with the weights by `numeral train`, or another model (--model PATH, `numeral model use ID`).\n")
        assertNoInternals(out.stderr)
    }

    func testTruncatedWeightsSayHowManyBytesAreThere() throws {
        // The old message: "claims 568088 bytes but the file has only 568088".
        let weights = try model("short")
        var bytes = [UInt8](repeating: 0x20, count: 568_088)
        let claimed: UInt64 = 568_088
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: claimed >> (8 * UInt64(i))) }
        try Data(bytes).write(to: URL(fileURLWithPath: weights))
        let out = try CLIRunner.run(["predict", "--strokes", try drawing, "--model", weights])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "numeral: \(weights): the header length field claims a 568088-byte header, but only 568080 bytes "
            + "follow it (the file has 568088 bytes); the file is truncated or not safetensors. Copy or download it again.\n")
    }

    func testWeightsThatWouldGiveNaNAreRefusedAndNothingEmptyIsPrinted() throws {
        let weights = try model("nan")
        var data = try Data(contentsOf: URL(fileURLWithPath: weights))
        let length = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data[8..<8 + length]) as? [String: Any])
        let variance = try XCTUnwrap(header["1.running_var"] as? [String: Any])
        let start = 8 + length + (try XCTUnwrap((variance["data_offsets"] as? [Int])?.first))
        data.replaceSubrange(start..<start + 4, with: withUnsafeBytes(of: Float(-1).bitPattern.littleEndian) { Data($0) })
        try data.write(to: URL(fileURLWithPath: weights))
        let out = try CLIRunner.run(["predict", "--strokes", try drawing, "--model", weights, "--json"])
        XCTAssertEqual(out.status, 1)
        XCTAssertFalse(out.stdout.contains("{}"), out.stdout)
        XCTAssertEqual(out.stderr, "numeral: \(weights): batch-norm variance 1.running_var[0] is -1.0; variances cannot be negative, "
            + "so the model would output NaN. The file is damaged: retrain or roll back to another model.\n")
    }

    func testADrawingWithTooManyPointsIsRefusedWithTheLimit() throws {
        let points = (0..<60_000).map { "[\($0 % 300),\($0 / 300)]" }.joined(separator: ",")
        let path = try file("long.json", #"{"strokes": [["# + points + "]]}")
        let out = try CLIRunner.run(["predict", "--strokes", path, "--json"])
        XCTAssertEqual(out.status, 1)
        let result = try CLIRunner.json(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(result["error"] as? String, "The drawing has 60000 points; at most 50000 are accepted. "
            + "Draw fewer or shorter strokes, or split the drawing into several.")
        XCTAssertEqual(result["source"] as? String, path)
    }
}
