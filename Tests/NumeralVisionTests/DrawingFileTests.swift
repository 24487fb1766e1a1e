import Foundation
import XCTest
@testable import NumeralVision

final class DrawingFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("drawing-file-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ text: String, to name: String) throws -> String {
        let target = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    let three = Drawing(strokes: [
        Stroke(points: [StrokePoint(x: 10, y: 10, pressure: 0.5, time: 0),
                        StrokePoint(x: 40.25, y: 12, pressure: 0.75, time: 0.016)]),
        Stroke(points: [StrokePoint(x: 20, y: 30), StrokePoint(x: 42, y: 50)]),
    ], width: 280, height: 280, label: 3)

    func testSingleDrawingRoundTrip() throws {
        let target = path("three.json")
        try DrawingFile.write(three, to: target)
        let results = try DrawingFile.read(path: target)
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(try results[0].get(), three)
    }

    func testJSONLinesRoundTrip() throws {
        var one = three
        one.label = 1
        one.strokes.removeLast()
        let target = path("many.jsonl")
        try DrawingFile.write([three, one, Drawing(strokes: [])], to: target)
        let text = try String(contentsOfFile: target, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 3)
        let drawings = try DrawingFile.read(path: target).map { try $0.get() }
        XCTAssertEqual(drawings, [three, one, Drawing(strokes: [])])
    }

    func testBadLineIsReportedAndTheRestIsRead() throws {
        let text = """
            {"strokes": [[[1, 2], [3, 4]]], "label": 1}

            {"strokes": [[[1, 2], [3]]]}
            this is not json\r
            {"strokes": [[[5, 6]]], "width": 100, "height": 100}\r

            """
        let results = try DrawingFile.read(path: try write(text, to: "mixed.jsonl"))
        XCTAssertEqual(results.count, 4, "the blank lines are skipped")
        XCTAssertEqual(try results[0].get().label, 1)
        guard case let .failure(.invalidDrawingJSON(line, reason)) = results[1] else {
            return XCTFail("line 3 should fail, got \(results[1])")
        }
        XCTAssertEqual(line, 3)
        XCTAssertTrue(reason.contains("[x, y]"), reason)
        guard case .failure(.invalidDrawingJSON(line: 4, _)) = results[2] else {
            return XCTFail("line 4 should fail, got \(results[2])")
        }
        XCTAssertEqual(try results[3].get().width, 100)
        if case let .failure(error) = results[2] {
            XCTAssertTrue(error.description.hasPrefix("Line 4 "), error.description)
        }
    }

    func testCorruptSingleDrawingIsAFailureWithoutLine() throws {
        let results = try DrawingFile.read(path: try write(#"{"strokes": "#, to: "broken.json"))
        guard case .failure(.invalidDrawingJSON(line: nil, _)) = results.first else {
            return XCTFail("expected a failure, got \(results)")
        }
    }

    func testUnrepresentableNumberIsAFailure() throws {
        let results = try DrawingFile.read(path: try write(#"{"strokes": [[[1e999, 2]]]}"#, to: "inf.json"))
        guard case .failure(.invalidDrawingJSON) = results.first else {
            return XCTFail("an infinite coordinate must not be accepted, got \(results)")
        }
    }

    func testFileErrors() throws {
        XCTAssertThrowsError(try DrawingFile.read(path: path("missing.jsonl"))) {
            XCTAssertEqual($0 as? VisionError, .fileNotFound(path: self.path("missing.jsonl")))
        }
        XCTAssertThrowsError(try DrawingFile.read(path: try write("{}", to: "drawing.txt"))) {
            guard case .unsupportedFileExtension? = $0 as? VisionError else { return XCTFail("\($0)") }
        }
        let folder = path("folder.json")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        XCTAssertThrowsError(try DrawingFile.read(path: folder)) {
            guard case .unreadableFile? = $0 as? VisionError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try DrawingFile.write([three, three], to: path("two.json"))) {
            guard case .invalidRequest? = $0 as? VisionError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try DrawingFile.write(three, to: path("no/such/folder/x.json"))) {
            guard case .unwritableFile? = $0 as? VisionError else { return XCTFail("\($0)") }
        }
    }
}
