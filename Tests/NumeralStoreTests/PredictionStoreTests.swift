import Foundation
import GRDB
import NumeralVision
import XCTest
@testable import NumeralStore

final class PredictionStoreTests: XCTestCase {
    func testRecordRoundTripsEveryField() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let original = fullRecord()
        let id = try store.record(original)
        var expected = original
        expected.id = id
        let fetched = try XCTUnwrap(try store.prediction(id: id))
        XCTAssertEqual(fetched.id, id)
        XCTAssertSameRecordsIgnoringIDs([fetched], [original])
        XCTAssertTrue(fetched == expected)
        XCTAssertTrue(try store.all() == [expected])
        XCTAssertTrue(try store.labelled() == [expected])
    }

    func testTimestampIsKeptToTheMillisecondInUTC() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let id = try store.record(simpleRecord(Date(timeIntervalSince1970: 1_700_000_000.123_456), predicted: "1"))
        XCTAssertEqual(try store.prediction(id: id)?.timestamp, Date(timeIntervalSince1970: 1_700_000_000.123))
        let text = try store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT timestamp FROM predictions WHERE id = ?", arguments: [id])
        }
        XCTAssertEqual(text, "2023-11-14T22:13:20.123Z")
    }

    func testSetActualStoresClearsAndRejectsUnknownIds() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let id = try store.record(simpleRecord(date("2024-01-01T00:00:00Z"), predicted: "42"))
        XCTAssertEqual(try store.labelled(), [])
        try store.setActual(id: id, actual: "47")
        XCTAssertEqual(try store.prediction(id: id)?.actual, "47")
        XCTAssertEqual(try store.labelled().map(\.id), [id])
        try store.setActual(id: id, actual: nil)
        XCTAssertNil(try store.prediction(id: id)?.actual)
        XCTAssertThrowsStoreError(try store.setActual(id: id + 100, actual: "3")) { $0 == .unknownPrediction(id: id + 100) }
        XCTAssertThrowsStoreError(try store.setActual(id: id, actual: "se7en?")) {
            if case .invalidRecord = $0 { return true } else { return false }
        }
        XCTAssertTrue(StoreError.unknownPrediction(id: 9).description.contains("no prediction with id 9"))
    }

    func testRefusesValuesTheLogCannotTrust() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        var bad: [(String, PredictionRecord)] = []
        var r = fullRecord(); r.confidence = .nan; bad.append(("NaN confidence", r))
        r = fullRecord(); r.confidence = 1.5; bad.append(("confidence > 1", r))
        r = fullRecord(); r.predicted = ""; bad.append(("empty prediction", r))
        r = fullRecord(); r.predicted = "7 a"; bad.append(("a space in the prediction", r))
        r = fullRecord(); r.predicted = "é"; bad.append(("a letter outside a-z, A-Z", r))
        r = fullRecord(); r.actual = "١"; bad.append(("non-ASCII digit", r))
        r = fullRecord(); r.input = [1, 2, 3]; bad.append(("truncated input", r))
        r = fullRecord(); r.latencyMs = -.infinity; bad.append(("infinite latency", r))
        r = fullRecord(); r.top3 = [DigitProbability(digit: 12, probability: 0.5)]; bad.append(("top3 digit 12", r))
        r = fullRecord(); r.drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: .nan, y: 1)])])
        bad.append(("NaN drawing coordinate", r))
        r = fullRecord(); r.modelVersion = ""; bad.append(("empty model version", r))
        for (name, record) in bad {
            XCTAssertThrowsStoreError(try store.record(record), name) {
                if case .invalidRecord = $0 { return true } else { return false }
            }
        }
        XCTAssertEqual(try store.count(), 0)
        // Multi-digit numbers carry one 784-byte input per digit.
        r = fullRecord(predicted: "123", actual: "123"); r.input = [UInt8](repeating: 255, count: 784 * 3)
        XCTAssertNoThrow(try store.record(r))
    }

    func testFiltersRecentAndCount() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        try store.record(simpleRecord(date("2024-01-01T10:00:00Z"), .canvas, predicted: "1"))
        try store.record(simpleRecord(date("2024-01-02T10:00:00Z"), .upload, predicted: "2", actual: "2"))
        try store.record(simpleRecord(date("2024-01-03T10:00:00Z"), .canvas, predicted: "3", actual: "8"))
        try store.record(simpleRecord(date("2024-01-03T10:00:00.001Z"), .camera, predicted: "4"))

        XCTAssertEqual(try store.count(), 4)
        XCTAssertEqual(try store.recent(limit: 2).map(\.predicted), ["4", "3"])
        XCTAssertEqual(try store.all().map(\.predicted), ["1", "2", "3", "4"])
        let canvas = LogFilter(inputType: .canvas)
        XCTAssertEqual(try store.all(filter: canvas).map(\.predicted), ["1", "3"])
        // `from` inclusive, `to` exclusive, to the millisecond.
        let range = LogFilter(from: date("2024-01-02T10:00:00Z"), to: date("2024-01-03T10:00:00.001Z"))
        XCTAssertEqual(try store.all(filter: range).map(\.predicted), ["2", "3"])
        XCTAssertEqual(try store.count(filter: range), 2)
        XCTAssertEqual(try store.labelled(filter: range).map(\.predicted), ["2", "3"])
        XCTAssertEqual(try store.labelled(filter: canvas).map(\.predicted), ["3"])
        // The SQL filter and LogFilter.matches agree, including sub-millisecond bounds.
        let odd = LogFilter(from: Date(timeIntervalSince1970: date("2024-01-03T10:00:00Z").timeIntervalSince1970 + 0.0004))
        let everything = try store.all()
        XCTAssertEqual(try store.all(filter: odd), everything.filter(odd.matches))
        XCTAssertEqual(try store.all(filter: odd).map(\.predicted), ["4"])
    }

    func testWithoutPayloadSkipsInputAndDrawing() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        try store.record(fullRecord())
        let light = try XCTUnwrap(try store.all(includePayload: false).first)
        XCTAssertNil(light.input)
        XCTAssertNil(light.drawing)
        XCTAssertEqual(light.top3.count, 3)
    }

    func testChangeTokenMovesOnEveryChangeFromAnyConnection() throws {
        let directory = try makeTemporaryDirectory(self)
        let app = try PredictionStore(directory: directory)
        let dashboard = try PredictionStore(directory: directory, access: .readOnly)
        var seen = try dashboard.changeToken()
        func assertChanged(_ what: String) throws {
            let now = try dashboard.changeToken()
            XCTAssertNotEqual(now, seen, what)
            seen = now
        }
        let id = try app.record(simpleRecord(date("2024-01-01T00:00:00Z"), predicted: "5"))
        try assertChanged("insert")
        try app.setActual(id: id, actual: "5")
        try assertChanged("feedback")
        try app.setActual(id: id, actual: "6")
        try assertChanged("changed feedback (same labelled count)")
        try app.registerModel(ModelVersion(id: "m1", path: "/m1"))
        try assertChanged("model registered")
        XCTAssertEqual(try dashboard.changeToken(), seen, "no change, same token")
    }

    func testModelVersionsKeepOneActive() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        XCTAssertNil(try store.activeModel())
        let base = ModelVersion(id: "base", created: date("2024-01-01T00:00:00Z"), path: "/models/base.safetensors",
                                metrics: ["mnist_accuracy": 0.9961], isActive: true)
        let tuned = ModelVersion(id: "tuned-1", created: date("2024-02-01T00:00:00Z"), path: "/models/t1.safetensors",
                                 parentID: "base", metrics: ["mnist_accuracy": 0.9958, "pen_accuracy": 0.987])
        try store.registerModel(base)
        try store.registerModel(tuned)
        XCTAssertEqual(try store.models(), [base, tuned])
        XCTAssertEqual(try store.activeModel(), base)
        try store.setActiveModel(id: "tuned-1")
        XCTAssertEqual(try store.activeModel()?.id, "tuned-1")
        XCTAssertEqual(try store.models().filter(\.isActive).map(\.id), ["tuned-1"])
        XCTAssertThrowsStoreError(try store.setActiveModel(id: "nope")) { $0 == .unknownModel(id: "nope") }
        XCTAssertEqual(try store.activeModel()?.id, "tuned-1", "a failed switch keeps the active model")
        XCTAssertThrowsStoreError(try store.registerModel(base)) { $0 == .duplicateModel(id: "base") }
        var nanMetric = tuned
        nanMetric.id = "nan"
        nanMetric.metrics = ["loss": .nan]
        XCTAssertThrowsStoreError(try store.registerModel(nanMetric)) {
            if case .invalidRecord = $0 { return true } else { return false }
        }
        // Registering an active model replaces the previous active one.
        try store.registerModel(ModelVersion(id: "tuned-2", created: date("2024-03-01T00:00:00Z"), path: "/t2",
                                             parentID: "tuned-1", isActive: true))
        XCTAssertEqual(try store.models().filter(\.isActive).map(\.id), ["tuned-2"])
    }

    func testDefaultDirectoryFollowsXDG() {
        XCTAssertEqual(PredictionStore.defaultDirectory(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"]),
                       "/data/numeral")
        XCTAssertEqual(PredictionStore.defaultDirectory(environment: ["HOME": "/home/u"]), "/home/u/.local/share/numeral")
        // The XDG spec says relative paths must be ignored.
        XCTAssertEqual(PredictionStore.defaultDirectory(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"]),
                       "/home/u/.local/share/numeral")
    }

    func testDirectoryInitCreatesNestedDirectoryAndUsesWALWithFullSync() throws {
        let directory = (try makeTemporaryDirectory(self) as NSString).appendingPathComponent("a/b/numeral")
        let store = try PredictionStore(directory: directory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/numeral.sqlite"))
        let (journal, synchronous) = try store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(journal, "wal")
        XCTAssertEqual(synchronous, 2, "synchronous = FULL")
    }
}
