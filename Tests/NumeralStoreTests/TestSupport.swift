import Foundation
import GRDB
import NumeralVision
import XCTest
@testable import NumeralStore

/// A fresh directory under the system temp dir, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase, function: String = #function) throws -> String {
    let name = "numeral-store-\(function.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// Dates at whole milliseconds, which is what the store keeps, so records compare equal
/// after a round trip.
func date(_ text: String) -> Date {
    guard let date = UTCTimestamp.parse(text) else {
        XCTFail("test date \(text) does not parse")
        return Date(timeIntervalSince1970: 0)
    }
    return date
}

/// A record with every field set, including awkward values.
func fullRecord(_ timestamp: String = "2024-03-01T10:00:00.123Z", predicted: String = "7", actual: String? = "1",
                confidence: Double = 0.8125) -> PredictionRecord {
    PredictionRecord(
        timestamp: date(timestamp), inputType: .canvas, predicted: predicted, confidence: confidence,
        top3: [DigitProbability(digit: 7, probability: 0.8125), DigitProbability(digit: 1, probability: 0.125),
               DigitProbability(digit: 9, probability: 0.0625)],
        actual: actual, modelVersion: "cnn-v2, \"tuned\" ✓", latencyMs: 0.42,
        input: (0..<784).map { UInt8($0 % 256) },
        drawing: Drawing(strokes: [Stroke(points: [StrokePoint(x: 1.5, y: 2, pressure: 0.5, time: 0.01),
                                                   StrokePoint(x: 3, y: 4, pressure: 0.75, time: 0.02)]),
                                   Stroke(points: [StrokePoint(x: 10, y: 20)])],
                         width: 280, height: 280, label: 7),
        device: "kiosk-3 (hall B)", client: "token 4f2a")
}

/// A minimal record for volume tests.
func simpleRecord(_ timestamp: Date, _ type: InputType = .canvas, predicted: String, actual: String? = nil,
                  confidence: Double = 0.9, latency: Double? = nil) -> PredictionRecord {
    PredictionRecord(timestamp: timestamp, inputType: type, predicted: predicted, confidence: confidence,
                     actual: actual, latencyMs: latency)
}

func XCTAssertThrowsStoreError(_ expression: @autoclosure () throws -> Any, _ message: String = "",
                               file: StaticString = #filePath, line: UInt = #line,
                               _ check: (StoreError) -> Bool) {
    do {
        _ = try expression()
        XCTFail("expected a StoreError, nothing was thrown. \(message)", file: file, line: line)
    } catch let error as StoreError {
        XCTAssertTrue(check(error), "unexpected StoreError: \(error). \(message)", file: file, line: line)
    } catch {
        XCTFail("expected a StoreError, got \(type(of: error)): \(error). \(message)", file: file, line: line)
    }
}

/// Compares record lists ignoring ids, reporting only the fields that differ (the default
/// XCTAssertEqual message would print thousands of input bytes).
func XCTAssertSameRecordsIgnoringIDs(_ actual: [PredictionRecord], _ expected: [PredictionRecord],
                                     file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "record count", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let differences = [
            a.timestamp != e.timestamp ? "timestamp \(a.timestamp) != \(e.timestamp)" : nil,
            a.inputType != e.inputType ? "inputType \(a.inputType) != \(e.inputType)" : nil,
            a.predicted != e.predicted ? "predicted \(a.predicted) != \(e.predicted)" : nil,
            a.confidence != e.confidence ? "confidence \(a.confidence) != \(e.confidence)" : nil,
            a.top3 != e.top3 ? "top3 \(a.top3) != \(e.top3)" : nil,
            a.actual != e.actual ? "actual \(String(describing: a.actual)) != \(String(describing: e.actual))" : nil,
            a.modelVersion != e.modelVersion ? "modelVersion \(a.modelVersion.debugDescription) != \(e.modelVersion.debugDescription)" : nil,
            a.latencyMs != e.latencyMs ? "latencyMs \(String(describing: a.latencyMs)) != \(String(describing: e.latencyMs))" : nil,
            a.input != e.input ? "input (\(a.input?.count ?? -1) vs \(e.input?.count ?? -1) bytes)" : nil,
            a.drawing != e.drawing ? "drawing \(String(describing: a.drawing)) != \(String(describing: e.drawing))" : nil,
        ].compactMap { $0 }
        XCTAssertEqual(differences, [], "record \(index)", file: file, line: line)
    }
}

extension PredictionStore {
    /// The SQLite backend's connection pool, for tests that inspect or damage the file directly.
    var pool: DatabasePool {
        get throws {
            guard let sqlite = log as? SQLitePredictionLog else { throw XCTSkip("not a SQLite log: \(path)") }
            return sqlite.pool
        }
    }
}
