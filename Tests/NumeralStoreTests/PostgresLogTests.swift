import Foundation
import XCTest
@testable import NumeralStore

/// The shared log on a real PostgreSQL 15 server: the same operations and answers as SQLite.
final class PostgresLogTests: XCTestCase {
    private func open() throws -> (PredictionStore, String) {
        let url = try PostgresTestServer.freshDatabase(self)
        return (try PredictionStore(location: .postgres(try PostgresURL(url))), url)
    }

    func testRecordsReadBackExactlyAsOnSQLite() throws {
        let (pg, _) = try open()
        let sqlite = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let records = [fullRecord(), fullRecord("2024-03-02T11:00:00.500Z", predicted: "42", actual: nil, confidence: 0.25)]
        for record in records {
            try pg.record(record)
            try sqlite.record(record)
        }
        XCTAssertEqual(try pg.all(), try sqlite.all())
        XCTAssertEqual(try pg.count(filter: LogFilter(device: "kiosk-3 (hall B)")), 2)
        XCTAssertEqual(try pg.labelled().count, 1)
        XCTAssertEqual(try pg.recent(limit: 1).first?.predicted, "42")
        try pg.setActual(id: 2, actual: "41")
        XCTAssertEqual(try pg.prediction(id: 2)?.actual, "41")
        XCTAssertThrowsStoreError(try pg.setActual(id: 99, actual: "1")) { $0 == .unknownPrediction(id: 99) }
    }

    func testUpsertFeedbackAndTheChangeToken() throws {
        let (pg, _) = try open()
        let before = try pg.changeToken()
        try pg.upsert(fullRecord(predicted: "2", actual: nil), uid: "k1-1")
        try pg.setActual(uid: "k1-1", actual: "4")
        try pg.upsert(fullRecord("2024-03-01T10:00:09.000Z", predicted: "4", actual: nil), uid: "k1-1")
        let rows = try pg.all()
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.predicted, "4")
        XCTAssertEqual(rows.first?.actual, "4", "feedback survives the update")
        XCTAssertEqual(rows.first?.timestamp, fullRecord().timestamp, "created at the first prediction")
        XCTAssertGreaterThan(try pg.changeToken(), before)
        XCTAssertThrowsStoreError(try pg.setActual(uid: "nobody", actual: "1")) { $0 == .unknownRecord(uid: "nobody") }
    }

    func testModelsAreOneRegistryWithOneActiveVersion() throws {
        let (pg, url) = try open()
        try pg.registerModel(ModelVersion(id: "a", created: date("2024-01-01T00:00:00Z"), path: "/m/a", metrics: ["x": 0.5], isActive: true))
        try pg.registerModel(ModelVersion(id: "b", created: date("2024-01-02T00:00:00Z"), path: "/m/b", parentID: "a"))
        XCTAssertThrowsStoreError(try pg.registerModel(ModelVersion(id: "a", path: "/m/a"))) { $0 == .duplicateModel(id: "a") }
        try pg.setActiveModel(id: "b")
        // Another instance sharing the log sees the switch.
        let other = try PredictionStore(location: .postgres(try PostgresURL(url)))
        XCTAssertEqual(try other.activeModel()?.id, "b")
        XCTAssertEqual(try other.models().map(\.id), ["a", "b"])
        XCTAssertEqual(try other.models().first?.metrics, ["x": 0.5])
        XCTAssertThrowsStoreError(try pg.setActiveModel(id: "zz")) { $0 == .unknownModel(id: "zz") }
    }

    func testMigrationsRunOnceWhenManyProcessesStartTogether() throws {
        let url = try PostgresTestServer.freshDatabase(self)
        let group = DispatchGroup()
        let failures = FailureBox()
        for _ in 0..<6 {
            DispatchQueue.global().async(group: group) {
                do { _ = try PredictionStore(location: .postgres(try PostgresURL(url))) } catch { failures.add("\(error)") }
            }
        }
        group.wait()
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try PostgresTestServer.psql(url, "SELECT count(*) FROM numeral_migrations"), "\(PostgresSchema.versions.count)")
        // A database migrated by a newer Numeral is refused.
        try PostgresTestServer.psql(url, "INSERT INTO numeral_migrations (identifier) VALUES ('pg-v99-future')")
        XCTAssertThrowsError(try PredictionStore(location: .postgres(try PostgresURL(url)))) { error in
            guard case StoreError.newerSchema = error else { return XCTFail("\(error)") }
        }
    }

    func testAnUnreachableServerIsATransientErrorAndThePasswordIsNeverPrinted() throws {
        let url = try PostgresURL("postgresql://kiosk:s3cret@127.0.0.1:1/fleet")
        XCTAssertEqual(url.password, "s3cret")
        XCTAssertEqual(url.description, "postgresql://kiosk@127.0.0.1:1/fleet")
        XCTAssertThrowsError(try PredictionStore(location: .postgres(url))) { error in
            guard let store = error as? StoreError, case .unreachable = store else { return XCTFail("\(error)") }
            XCTAssertTrue(store.isTransient)
            XCTAssertFalse(store.description.contains("s3cret"), store.description)
        }
        XCTAssertThrowsError(try PostgresURL("postgresql://u@host/")) { XCTAssertFalse("\($0)".isEmpty) }
        XCTAssertThrowsError(try PostgresURL("postgresql://u:pw@h/db?sslmode=require")) { XCTAssertFalse("\($0)".contains("pw")) }
    }

    func testAQueryWithoutAnAnswerIsUnreachableNotAHang() async throws {
        // A server that stops answering mid-query (here a query that sleeps past the deadline)
        // gives the transient "unreachable" error in time, and the next call reconnects.
        let pool = PostgresConnectionPool(url: try PostgresURL(try PostgresTestServer.freshDatabase(self)))
        await pool.setQueryTimeout(1)
        let started = Date()
        do {
            try await pool.withConnection { c in try await pool.execute("SELECT pg_sleep(20)", on: c) }
            XCTFail("the query must time out")
        } catch {
            guard let store = error as? StoreError, case .unreachable = store else { return XCTFail("\(error)") }
            XCTAssertTrue(store.isTransient)
            XCTAssertTrue(store.description.contains("did not answer within 1 s"), store.description)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "the deadline, not the query, ended the wait")
        let answer = try await pool.withConnection { c in try await pool.query("SELECT 41 + 1", on: c).first?[0].decode(Int.self) }
        XCTAssertEqual(answer, 42)
        let opened = await pool.connectionsOpened
        XCTAssertEqual(opened, 2, "the timed-out connection was closed and a new one made")
    }

    func testPasswordsComeFromTheEnvironmentOrThePassFile() throws {
        let dir = try makeTemporaryDirectory(self)
        let passfile = dir + "/pgpass"
        try "# comment\nother:5432:*:*:nope\ndb.local:5432:fleet:kiosk:fromfile\n".write(toFile: passfile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try PostgresURL("postgresql://kiosk@db.local/fleet", environment: ["PGPASSFILE": passfile]).password, "fromfile")
        XCTAssertEqual(try PostgresURL("postgresql://kiosk@db.local/fleet", environment: ["PGPASSWORD": "env", "PGPASSFILE": passfile]).password, "env")
        XCTAssertEqual(try LogLocation.resolve(explicit: nil, configured: "postgresql://a@b/c", dataDirectory: "/d", environment: [:]),
                       .postgres(try PostgresURL("postgresql://a@b/c", environment: [:])))
        XCTAssertEqual(try LogLocation.resolve(explicit: nil, configured: "postgresql://a@b/c", dataDirectory: "/d",
                                               environment: ["NUMERAL_LOG": "/elsewhere"]), .sqlite(directory: "/elsewhere"))
        XCTAssertEqual(try LogLocation.resolve(explicit: nil, dataDirectory: "/d", environment: [:]), .sqlite(directory: "/d"))
    }
}

final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

extension PostgresLogTests {
    func testModelFilesTravelThroughTheSharedLog() throws {
        let (pg, _) = try open()
        try pg.registerModel(ModelVersion(id: "m1", path: "/elsewhere/m1.safetensors"))
        XCTAssertNil(try pg.modelFiles(id: "m1"))
        try pg.storeModelFiles(id: "m1", weights: Data([1, 2, 3]), card: Data("{\"id\":\"m1\"}".utf8))
        try pg.storeModelFiles(id: "m1", weights: Data([4, 5]), card: Data("{\"id\":\"m1\"}".utf8))
        let files = try XCTUnwrap(try pg.modelFiles(id: "m1"))
        XCTAssertEqual(files.weights, Data([4, 5]), "the latest copy")
        XCTAssertEqual(String(decoding: files.card, as: UTF8.self), "{\"id\":\"m1\"}")
        let sqlite = try PredictionStore(directory: try makeTemporaryDirectory(self))
        XCTAssertNoThrow(try sqlite.storeModelFiles(id: "x", weights: Data(), card: Data()))
        XCTAssertNil(try sqlite.modelFiles(id: "x"))
    }
}

extension PostgresLogTests {
    /// A write that waits behind a lock (as it would on a frozen or overloaded server) goes to the
    /// spool at the write deadline, not the query timeout, and is written once when the lock goes.
    func testAWriteStuckBehindALockIsSpooledWithinTheWriteDeadline() throws {
        let url = try PostgresTestServer.freshDatabase(self)
        let store = try PredictionStore(location: .postgres(try PostgresURL(url)))
        try store.upsert(simpleRecord(Date(timeIntervalSince1970: 1_730_000_000), predicted: "1"), uid: "before")
        // Another session holds the table for 6 s.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["psql", url, "-qtAc", "BEGIN; LOCK TABLE predictions IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(6); COMMIT;"]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.waitUntilExit() }
        let lockTaken = Date().addingTimeInterval(5)
        while try PostgresTestServer.psql(url, "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'predictions'::regclass") == "0" {
            guard Date() < lockTaken else { return XCTFail("the lock was never taken") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = DurablePredictionLog(store: store, spoolDirectory: try makeTemporaryDirectory(self))
        let started = Date()
        let receipt = try log.upsert(simpleRecord(Date(timeIntervalSince1970: 1_730_000_100), predicted: "2"), uid: "during")
        let waited = Date().timeIntervalSince(started)
        print("A write behind a lock was kept in the spool after \(String(format: "%.2f", waited)) s")
        guard case .kept = receipt else { return XCTFail("expected the write to be kept in the spool, got \(receipt)") }
        XCTAssertLessThan(waited, 4, "the write deadline (2 s), not the 30 s query timeout, ended the wait")
        XCTAssertGreaterThanOrEqual(waited, 1.5, "the write did wait for its deadline")
        holder.waitUntilExit()
        let drained = try log.flush()
        XCTAssertEqual(drained.applied, 1, "\(drained)")
        XCTAssertEqual(try PostgresTestServer.psql(url, "SELECT string_agg(uid, ',' ORDER BY uid) FROM predictions"), "before,during")
    }
}
