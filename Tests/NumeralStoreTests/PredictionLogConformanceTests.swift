import Foundation
import XCTest
@testable import NumeralStore

/// The same checks on every `PredictionLog` backend, through the protocol alone: what one
/// backend answers, the other answers too.
final class PredictionLogConformanceTests: XCTestCase {
    /// A fresh SQLite log, then a fresh PostgreSQL one (skipped, with the reason, without a server).
    private func eachBackend(_ body: (any PredictionLog) async throws -> Void) async throws {
        let sqlite = try PredictionStore(directory: try makeTemporaryDirectory(self)).log
        try await body(sqlite)
        let url = try PostgresURL(try PostgresTestServer.freshDatabase(self))
        try await body(try await PostgresPredictionLog.open(url: url, access: .readWrite))
    }

    func testWritesReadsAndSelectionsAnswerAlike() async throws {
        var answers: [[[String?]]] = []
        try await eachBackend { log in
            let first = try await log.record(fullRecord("2024-03-01T10:00:00.000Z", predicted: "3", actual: nil))
            let results = try await log.write(batch: [
                .upsert(with(fullRecord("2024-03-01T10:00:01.000Z", predicted: "4", actual: nil), uid: "a")),
                .feedback(uid: "a", actual: "9"),
                .feedback(uid: "nobody", actual: "1"),
                .upsert(with(fullRecord("2024-03-01T10:00:02.000Z", predicted: "-1", actual: nil), uid: "bad")),
                .upsert(with(fullRecord("2024-03-01T10:00:03.000Z", predicted: "5", actual: nil), uid: "b")),
            ])
            XCTAssertEqual(results.count, 5)
            XCTAssertEqual(try results[0].get(), first + 1)
            XCTAssertEqual(try results[1].get(), -1)
            XCTAssertEqual(results[2].failure, .unknownRecord(uid: "nobody"), log.path)
            guard case .invalidRecord? = results[3].failure else { return XCTFail("\(results[3]) on \(log.path)") }
            // An update keeps the first time and the feedback.
            try await log.upsert(with(fullRecord("2024-03-01T11:00:00.000Z", predicted: "8", actual: nil), uid: "a"), uid: "a")
            try await log.setActual(id: first, actual: "3")
            do {
                try await log.setActual(id: 999, actual: "1")
                XCTFail("no row 999 on \(log.path)")
            } catch let error as StoreError {
                XCTAssertEqual(error, .unknownPrediction(id: 999))
            }
            func summary(_ read: LogRead) -> [String?] { read.records.map { "\($0.predicted)/\($0.actual ?? "-")/\($0.uid ?? "-")" } }
            answers.append([
                summary(try await log.read(.all, filter: LogFilter(), limit: nil, includePayload: true)),
                summary(try await log.read(.labelled, filter: LogFilter(), limit: nil, includePayload: false)),
                summary(try await log.read(.after(id: first), filter: LogFilter(), limit: 1, includePayload: true)),
                summary(try await log.read(.id(first), filter: LogFilter(), limit: 1, includePayload: true)),
                summary(try await log.read(.newestFirst, filter: LogFilter(), limit: 2, includePayload: true)),
                [String(try await log.count(filter: LogFilter(device: "kiosk-3 (hall B)")))],
            ])
            let withPayload = try await log.prediction(id: first)
            XCTAssertEqual(withPayload?.input?.count, 784, "the payload is read back")
            let withoutPayload = try await log.read(.all, filter: LogFilter(), limit: nil, includePayload: false)
            XCTAssertNil(withoutPayload.records.first?.input)
        }
        XCTAssertEqual(answers.first, [
            ["3/3/-", "8/9/a", "5/-/b"], ["3/3/-", "8/9/a"], ["8/9/a"], ["3/3/-"], ["5/-/b", "8/9/a"], ["3"],
        ])
        if answers.count == 2 { XCTAssertEqual(answers[0], answers[1], "both backends answer alike") }
    }

    func testModelVersionsAlike() async throws {
        try await eachBackend { log in
            try await log.registerModel(ModelVersion(id: "a", created: date("2024-01-01T00:00:00Z"), path: "/m/a", metrics: ["x": 0.5], isActive: true))
            try await log.registerModel(ModelVersion(id: "b", created: date("2024-01-02T00:00:00Z"), path: "/m/b", parentID: "a"))
            do {
                try await log.registerModel(ModelVersion(id: "a", path: "/m/a"))
                XCTFail("a duplicate on \(log.path)")
            } catch let error as StoreError {
                XCTAssertEqual(error, .duplicateModel(id: "a"))
            }
            do {
                try await log.registerModel(ModelVersion(id: "c", path: "/m/c", metrics: ["x": .nan]))
                XCTFail("a NaN metric on \(log.path)")
            } catch let error as StoreError {
                guard case .invalidRecord = error else { return XCTFail("\(error)") }
            }
            try await log.setActiveModel(id: "b")
            let active = try await log.activeModel()
            let models = try await log.models()
            XCTAssertEqual(active?.id, "b")
            XCTAssertEqual(models.map(\.id), ["a", "b"])
            XCTAssertEqual(models.first?.metrics, ["x": 0.5])
        }
    }

    /// Reads never migrate: a read-only open refuses a schema behind or ahead of this program with
    /// a typed error and changes nothing; `openForReading` upgrades one behind, once.
    func testReadOnlyOpensRefuseOtherSchemasAndOpenForReadingUpgradesOnce() async throws {
        let url = try PostgresURL(try PostgresTestServer.freshDatabase(self))
        let log = try await PostgresPredictionLog.open(url: url, access: .readWrite)
        try await log.record(fullRecord())
        let database = try PostgresTestServer.freshDatabaseURL(url)
        let last = try XCTUnwrap(PostgresSchema.versions.last?.id)
        try PostgresTestServer.psql(database, "DELETE FROM numeral_migrations WHERE identifier = '\(last)'")
        do {
            _ = try await PostgresPredictionLog.open(url: url, access: .readOnly)
            XCTFail("an older schema is refused read-only")
        } catch let error as StoreError {
            XCTAssertEqual(error, .needsUpgrade(path: url.description))
            XCTAssertTrue(error.description.contains("older Numeral"), error.description)
        }
        XCTAssertEqual(try PostgresTestServer.psql(database, "SELECT count(*) FROM numeral_migrations"),
                       "\(PostgresSchema.versions.count - 1)", "the read-only open wrote nothing")
        // The last migration's tables and trigger exist already; put it back as the older program knew it.
        try PostgresTestServer.psql(database, "DROP TRIGGER predictions_rollup ON predictions; DROP FUNCTION numeral_rollup(); "
                                    + "DROP TABLE rollup_outcomes, rollup_histograms, rollup_slots")
        let store = try await PredictionStore.openForReading(.postgres(url))
        let upgradedCount = try await store?.log.count(filter: LogFilter())
        XCTAssertEqual(upgradedCount, 1)
        XCTAssertEqual(try PostgresTestServer.psql(database, "SELECT count(*) FROM numeral_migrations"), "\(PostgresSchema.versions.count)")
        let again = try await PredictionStore.openForReading(.postgres(url))
        XCTAssertEqual(again?.access, .readOnly, "up to date now: read-only")

        try PostgresTestServer.psql(database, "INSERT INTO numeral_migrations (identifier) VALUES ('pg-v99-future')")
        for access in [PredictionStore.Access.readOnly, .readWrite] {
            do {
                _ = try await PostgresPredictionLog.open(url: url, access: access)
                XCTFail("a newer schema is refused (\(access))")
            } catch let error as StoreError {
                guard case .newerSchema = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testASQLiteLogFromANewerNumeralIsRefusedReadOnlyToo() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        try store.record(fullRecord())
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 999") }
        let path = directory + "/numeral.sqlite"
        XCTAssertThrowsStoreError(try PredictionStore(directory: directory, access: .readOnly)) {
            $0 == .newerSchema(path: path, version: 999, supported: StoreSchema.userVersion)
        }
        XCTAssertThrowsStoreError(try PredictionStore.openForReading(location: .sqlite(directory: directory))) {
            $0 == .newerSchema(path: path, version: 999, supported: StoreSchema.userVersion)
        }
    }

    func testOpenForReadingNeitherCreatesNorRefusesAMissingSQLiteLog() async throws {
        let directory = try makeTemporaryDirectory(self) + "/not-yet"
        let none = try await PredictionStore.openForReading(.sqlite(directory: directory))
        XCTAssertNil(none)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory), "reading created nothing")
        let written = try PredictionStore(directory: directory)
        try written.record(fullRecord())
        let store = try await PredictionStore.openForReading(.sqlite(directory: directory))
        XCTAssertEqual(store?.access, .readOnly)
        let count = try await store?.log.count(filter: LogFilter())
        XCTAssertEqual(count, 1)
    }

    /// The blocking API from 48 Dispatch workers at once (as the app's, the spool's and the
    /// registry's queues call it): every call completes promptly, and PostgreSQL serves them all on
    /// its pool's few connections.
    func testTheBlockingAPIFromManyThreadsAtOnce() throws {
        let sqlite = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let shared = try PredictionStore(location: .postgres(try PostgresURL(try PostgresTestServer.freshDatabase(self))))
        for store in [sqlite, shared] {
            let failures = FailureBox()
            let group = DispatchGroup()
            for n in 0..<48 {
                DispatchQueue.global().async(group: group) {
                    do {
                        var record = fullRecord(predicted: String(n % 10), actual: nil)
                        record.uid = "t-\(n)"
                        try store.write(batch: [.upsert(record), .feedback(uid: "t-\(n)", actual: "1")]).forEach { _ = try $0.get() }
                        _ = try store.count()
                        _ = try store.report()
                    } catch {
                        failures.add("\(error)")
                    }
                }
            }
            // About 0.2 s each here; 47 s for SQLite when the calls ran on Dispatch's workers,
            // which the 48 waiting callers held (BridgeExecutor).
            XCTAssertEqual(group.wait(timeout: .now() + 30), .success, "every call completed in time (\(store.path))")
            XCTAssertEqual(failures.all, [])
            XCTAssertEqual(try store.count(), 48)
            XCTAssertEqual(try store.labelled().count, 48)
        }
        let opened = try AsyncBridge.run { await (shared.log as? PostgresPredictionLog)?.connectionsOpened() }
        XCTAssertLessThanOrEqual(try XCTUnwrap(opened), 4, "48 threads shared the pool's connections")
    }

    private func with(_ record: PredictionRecord, uid: String) -> PredictionRecord {
        var record = record
        record.uid = uid
        return record
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

extension PostgresTestServer {
    /// The psql URL of the database `url` names (with the test server's user).
    static func freshDatabaseURL(_ url: PostgresURL) throws -> String {
        "postgresql://\(url.user)@\(url.host):\(url.port)/\(url.database)"
    }
}
