import Foundation
import XCTest
@testable import NumeralVision

/// Locates the pen digits file the way `make test` does, and loads it once per test run.
enum PenDigitsFixture {
    static var path: String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent()
            .appendingPathComponent("shared/data/pendigits/pendigits-orig-train.json").path
    }

    private static let loaded: Result<[PenSample], Error> = Result { try PenDigits.load(path: path) }

    static func samples() throws -> [PenSample] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("pen digits data not found at \(path); set NUMERAL_PENDIGITS to pendigits-orig-train.json")
        }
        return try loaded.get()
    }
}

final class PenDigitsTests: XCTestCase {
    func testLoadsAllSamplesWithLabelsAndWriters() throws {
        let samples = try PenDigitsFixture.samples()
        XCTAssertEqual(samples.count, 7_494)
        XCTAssertEqual(Set(samples.map(\.label)), Set(0...9))
        XCTAssertEqual(Set(samples.map(\.writer)).count, 30)
        for sample in samples.prefix(50) {
            XCTAssertEqual(sample.drawing.label, sample.label)
            XCTAssertEqual(sample.drawing.width, 500)
            XCTAssertEqual(sample.drawing.height, 500)
            XCTAssertFalse(sample.drawing.isEmpty)
        }
    }

    func testFirstSampleMatchesFileWithYFlipped() throws {
        let samples = try PenDigitsFixture.samples()   // skips, rather than fails, without the data
        let first = try XCTUnwrap(samples.first)
        // The file starts {"label":8,"writer":12,"writer_sample":224,"strokes":[[[267,333],[267,336],...
        XCTAssertEqual(first.label, 8)
        XCTAssertEqual(first.writer, 12)
        XCTAssertEqual(first.writerSample, 224)
        XCTAssertEqual(first.drawing.strokes[0].points[0], StrokePoint(x: 267, y: 500 - 333))
        XCTAssertEqual(first.drawing.strokes[0].points[1], StrokePoint(x: 267, y: 500 - 336))
    }

    func testSevensStartAtTheTopOnScreen() throws {
        // A 7 is written from the top-left corner along its bar, so on screen (y down) its first point
        // lies in the upper half of the digit's box. With y left unflipped it would be the lower half.
        let sevens = try PenDigitsFixture.samples().filter { $0.label == 7 }.prefix(200)
        var startsAtTop = 0
        for seven in sevens {
            let ys = seven.drawing.strokes.flatMap { $0.points.map(\.y) }
            guard let top = ys.min(), let bottom = ys.max(),
                  let start = seven.drawing.strokes.first?.points.first else { continue }
            if start.y < (top + bottom) / 2 { startsAtTop += 1 }
        }
        XCTAssertGreaterThan(startsAtTop, 190, "7s should start at the top")
    }

    func testMissingFileIsAClearError() {
        XCTAssertThrowsError(try PenDigits.load(path: "/nonexistent/pendigits.json")) { error in
            XCTAssertEqual(error as? VisionError, .fileNotFound(path: "/nonexistent/pendigits.json"))
        }
    }

    func testCorruptFilesAreClearErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pendigits-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = [
            ("truncated", #"[{"label":1,"writer":2,"writer_sample":3,"strokes":[[[1,2],[3"#),
            ("not-an-array", #"{"label":1}"#),
            ("bad-label", #"[{"label":12,"writer":2,"writer_sample":3,"strokes":[[[1,2]]]}]"#),
            ("short-point", #"[{"label":1,"writer":2,"writer_sample":3,"strokes":[[[1]]]}]"#),
            ("missing-strokes", #"[{"label":1,"writer":2,"writer_sample":3}]"#),
        ]
        for (name, text) in cases {
            let path = directory.appendingPathComponent(name + ".json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try PenDigits.load(path: path), name) { error in
                guard case let .invalidPenDigits(errorPath, reason)? = error as? VisionError else {
                    return XCTFail("\(name): unexpected \(error)")
                }
                XCTAssertEqual(errorPath, path)
                XCTAssertFalse(reason.isEmpty)
                XCTAssertTrue("\(error)".contains(path))
                print("\(name): \(error)")
            }
        }
    }
}
