import Foundation
import GRDB
import XCTest
@testable import NumeralStore

/// Every earlier schema version must open with its rows intact and the newer columns at
/// their documented defaults.
final class MigrationTests: XCTestCase {
    func testEmptyFileBecomesACurrentLog() throws {
        let path = try makeTemporaryDirectory(self) + "/numeral.sqlite"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try PredictionStore(path: path)
        XCTAssertEqual(try appliedMigrations(store), StoreSchema.versions)
        XCTAssertEqual(try store.count(), 0)
        XCTAssertNoThrow(try store.record(fullRecord()))
    }

    func testUpgradesAVersion1LogWrittenWithRawSQL() throws {
        let path = try makeTemporaryDirectory(self) + "/numeral.sqlite"
        // The seed app's table exactly as version 1 wrote it, independent of StoreSchema.
        try withRawConnection(path) { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1-seed-log');
                CREATE TABLE predictions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT NOT NULL, input_type TEXT NOT NULL,
                    digit_predicted TEXT NOT NULL, confidence REAL NOT NULL, digit_actual TEXT);
                INSERT INTO predictions (timestamp, input_type, digit_predicted, confidence, digit_actual) VALUES
                    ('2024-01-05T13:45:10.000Z', 'canvas', '7', 0.98, '7'),
                    ('2024-01-05T13:46:10.500Z', 'upload', '1', 0.45, NULL);
                """)
        }
        try assertReadOnlyOpenAsksForUpgrade(path)
        let store = try PredictionStore(path: path)
        XCTAssertEqual(try appliedMigrations(store), StoreSchema.versions)
        let rows = try store.all()
        XCTAssertEqual(rows, [
            PredictionRecord(id: 1, timestamp: date("2024-01-05T13:45:10Z"), inputType: .canvas, predicted: "7",
                             confidence: 0.98, top3: [], actual: "7", modelVersion: "unknown", latencyMs: nil,
                             input: nil, drawing: nil),
            PredictionRecord(id: 2, timestamp: date("2024-01-05T13:46:10.5Z"), inputType: .upload, predicted: "1",
                             confidence: 0.45, actual: nil),
        ])
        try assertCurrentSchemaWorks(store, existingRows: 2)
    }

    func testUpgradesAVersion2Log() throws {
        let path = try makeTemporaryDirectory(self) + "/numeral.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.v2)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO predictions (timestamp, input_type, digit_predicted, confidence, digit_actual,
                                         top3, model_version, latency_ms, input, drawing)
                VALUES ('2024-02-01T08:00:00.250Z', 'camera', '3', 0.5, '8',
                        '[{"digit":3,"probability":0.5},{"digit":8,"probability":0.4}]', 'cnn-1', 0.75,
                        zeroblob(784), '{"strokes":[[[1,2],[3,4]]],"width":100,"height":100}')
                """)
        }
        try queue.close()
        try assertReadOnlyOpenAsksForUpgrade(path)
        let store = try PredictionStore(path: path)
        let row = try XCTUnwrap(try store.all().first)
        XCTAssertEqual(row.top3, [DigitProbability(digit: 3, probability: 0.5), DigitProbability(digit: 8, probability: 0.4)])
        XCTAssertEqual(row.modelVersion, "cnn-1")
        XCTAssertEqual(row.latencyMs, 0.75)
        XCTAssertEqual(row.input, [UInt8](repeating: 0, count: 784))
        XCTAssertEqual(row.drawing?.strokes.first?.points.count, 2)
        XCTAssertEqual(row.timestamp, date("2024-02-01T08:00:00.250Z"))
        try assertCurrentSchemaWorks(store, existingRows: 1)
    }

    func testUpgradesAVersion3Log() throws {
        let path = try makeTemporaryDirectory(self) + "/numeral.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.v3)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO predictions (timestamp, input_type, digit_predicted, confidence) VALUES
                    ('2024-03-01T00:00:00.000Z', 'api', '12', 0.9);
                INSERT INTO models (id, created, path, metrics, is_active) VALUES
                    ('base', '2024-01-01T00:00:00.000Z', '/m/base', '{"mnist_accuracy":0.996}', 1);
                """)
        }
        try queue.close()
        let store = try PredictionStore(path: path)
        XCTAssertEqual(try store.all().map(\.predicted), ["12"])
        XCTAssertEqual(try store.activeModel(),
                       ModelVersion(id: "base", created: date("2024-01-01T00:00:00Z"), path: "/m/base",
                                    metrics: ["mnist_accuracy": 0.996], isActive: true))
        try assertCurrentSchemaWorks(store, existingRows: 1)
    }

    func testReopeningACurrentLogChangesNothing() throws {
        let directory = try makeTemporaryDirectory(self)
        let id = try PredictionStore(directory: directory).record(fullRecord())
        let reopened = try PredictionStore(directory: directory)
        XCTAssertEqual(try reopened.prediction(id: id)?.drawing, fullRecord().drawing)
        XCTAssertEqual(try appliedMigrations(reopened), StoreSchema.versions)
    }

    // MARK: - Helpers

    private func withRawConnection(_ path: String, _ body: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction(body)
        try queue.close()
    }

    private func appliedMigrations(_ store: PredictionStore) throws -> [String] {
        try store.pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
    }

    private func assertReadOnlyOpenAsksForUpgrade(_ path: String, line: UInt = #line) throws {
        XCTAssertThrowsStoreError(try PredictionStore(path: path, access: .readOnly), line: line) {
            $0 == .needsUpgrade(path: path)
        }
    }

    /// New columns, the models table, the time index and the change counter all work.
    private func assertCurrentSchemaWorks(_ store: PredictionStore, existingRows: Int, line: UInt = #line) throws {
        let before = try store.changeToken()
        let id = try store.record(fullRecord())
        XCTAssertNotEqual(try store.changeToken(), before, line: line)
        XCTAssertEqual(try store.prediction(id: id)?.input?.count, 784, line: line)
        XCTAssertEqual(try store.count(), existingRows + 1, line: line)
        try store.registerModel(ModelVersion(id: "after-upgrade", path: "/m/new"))
        let indexes = try store.pool.read { db in try db.indexes(on: "predictions").map(\.name) }
        XCTAssertTrue(indexes.contains("predictions_by_timestamp"), "\(indexes)", line: line)
    }
}
