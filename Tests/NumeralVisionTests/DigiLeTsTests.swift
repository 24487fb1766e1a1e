import Foundation
import XCTest
@testable import NumeralVision

/// DigiLeTs files (characters as pen trajectories) and JSON Lines characters with a label string.
final class DigiLeTsTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-digilets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func oneHot(_ index: Int) -> String { (0..<62).map { $0 == index ? "1.0" : "0.0" }.joined(separator: " ") }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testReadsStrokesDropsHoveringAndFlipsY() throws {
        // "t": a down stroke, the pen hovering, then a cross stroke that starts after the hover.
        let t = "0.5 0.9 0.3 1 0.0  0.5 0.1 0.4 0 0.1  0.6 0.5 0.0 0 0.2  0.3 0.6 0.2 0 0.3  0.7 0.6 0.3 0 0.4"
        let x = "0.1 0.1 0.2 1 0.0  0.9 0.9 0.2 0 0.1  0.9 0.1 0.2 1 0.2  0.1 0.9 0.2 0 0.3"
        let path = try write("042-f-30-right_2019", [t, oneHot(10 + 19), x, oneHot(36 + 23)].joined(separator: "\n") + "\n")
        _ = try write("042-f-30-right_2019_info", "0 0 0\n")
        let samples = try DigiLeTs.load(path: dir.path)
        XCTAssertEqual(samples.count, 2, "the _info file is not a writer's file")
        XCTAssertEqual(samples.map(\.writer), [42, 42])
        XCTAssertEqual(samples.map(\.label), [29, 59])
        let strokes = samples[0].drawing.strokes
        XCTAssertEqual(strokes.map(\.points.count), [2, 2], "the hovering point is dropped and the ink after it is a new stroke")
        XCTAssertEqual(strokes[0].points[0].x, 250, accuracy: 1e-9)
        XCTAssertEqual(strokes[0].points[0].y, 50, accuracy: 1e-9, "y up in the file, down on screen")
        XCTAssertEqual(samples[1].drawing.strokes.count, 2, "pen_down 1 starts a stroke")
        // Relabelled for a set's outputs: "t" is letter 19, "X" letter 49; digits read neither.
        XCTAssertEqual(DigiLeTs.samples(samples, reading: .letters).map(\.label), [19, 49])
        XCTAssertEqual(DigiLeTs.samples(samples, reading: .digits).count, 0)
        XCTAssertEqual(try DigiLeTs.load(path: path).count, 2, "one writer's file reads alone too")
    }

    func testMalformedFilesSayWhatIsWrong() throws {
        func message(_ text: String) throws -> String {
            let path = try write("001-m-20", text)
            do { _ = try DigiLeTs.load(path: path); XCTFail("accepted: \(text.prefix(40))"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(try message("0.1 0.2 0.3 1 0\n").contains("each character takes two"))
        XCTAssertTrue(try message("0.1 0.2 0.3 1\n\(oneHot(3))\n").contains("five each"))
        XCTAssertTrue(try message("0.1 nan 0.3 1 0\n\(oneHot(3))\n").contains("not a finite number"))
        XCTAssertTrue(try message("0.1 0.2 0.3 1 0\n1 0 0\n").contains("class vector has 62"))
        XCTAssertTrue(try message("0.1 0.2 0.3 1 0\n\((0..<62).map { _ in "0" }.joined(separator: " "))\n").contains("marks no class"))
        XCTAssertTrue(try message("0.1 0.2 0 0 0\n\(oneHot(3))\n").contains("no ink"))
        XCTAssertTrue(try message("").contains("empty"))
        XCTAssertThrowsError(try DigiLeTs.load(path: dir.appendingPathComponent("missing").path)) {
            XCTAssertEqual($0 as? VisionError, .fileNotFound(path: self.dir.appendingPathComponent("missing").path))
        }
    }

    func testJSONLinesCharactersCarryALabelString() throws {
        let path = try write("letters.jsonl", """
        {"strokes": [[[0, 0], [10, 40]]], "width": 100, "height": 100, "label": "g", "writer": 3}
        {"strokes": [[[5, 5], [5, 50]]], "label": 7}

        """)
        let set = try LabelledCharacters.load(path: path)
        XCTAssertEqual(set.items.map(\.symbol), ["g", "7"])
        XCTAssertEqual(set.items.map(\.writer), [3, 0])
        XCTAssertEqual(set.items[0].drawing.strokes[0].points.count, 2)
        let bad = try write("bad.jsonl", "{\"strokes\": [[[0, 0]]], \"label\": \"ab\"}\n")
        XCTAssertThrowsError(try LabelledCharacters.load(path: bad)) { XCTAssertTrue("\($0)".contains("not one character"), "\($0)") }
        let missing = try write("missing.jsonl", "{\"strokes\": [[[0, 0]]]}\n")
        XCTAssertThrowsError(try LabelledCharacters.load(path: missing)) { XCTAssertTrue("\($0)".contains("Line 1"), "\($0)") }
        let nan = try write("nan.jsonl", "{\"strokes\": [[[0, \"x\"]]], \"label\": \"a\"}\n")
        XCTAssertThrowsError(try LabelledCharacters.load(path: nan))
    }

    /// The real data set (skipped without it): 77 writers, five of each of 62 characters.
    func testTheWholeDataSetLoads() throws {
        let env = ProcessInfo.processInfo.environment["NUMERAL_DIGILETS"]
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fallback = repository.deletingLastPathComponent().appendingPathComponent("shared/data/digilets").path
        guard let path = [env, fallback].compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("DigiLeTs not found: set NUMERAL_DIGILETS or put it in ../shared/data/digilets")
        }
        let samples = try DigiLeTs.load(path: path)
        XCTAssertEqual(samples.count, 23_870)
        XCTAssertEqual(Set(samples.map(\.writer)).count, 77)
        XCTAssertEqual(Set(samples.map(\.label)).count, 62)
        XCTAssertTrue(samples.allSatisfy { !$0.drawing.strokes.isEmpty })
    }
}
