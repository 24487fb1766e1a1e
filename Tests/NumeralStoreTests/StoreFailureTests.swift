import Foundation
import GRDB
import XCTest
@testable import NumeralStore

/// Bad files and contention end in a StoreError with an actionable message, never a crash.
final class StoreFailureTests: XCTestCase {
    func testGarbageFileIsReportedAsCorrupt() throws {
        let path = try makeTemporaryDirectory(self) + "/numeral.sqlite"
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: garbage))
        for access in [PredictionStore.Access.readWrite, .readOnly] {
            XCTAssertThrowsStoreError(try PredictionStore(path: path, access: access), "\(access)") { error in
                guard case .corrupt(let reportedPath, _) = error else { return false }
                return reportedPath == path && error.description.contains("not a valid SQLite database")
                    && error.description.contains(".recover")
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), garbage, "the damaged file is left untouched")
    }

    func testReadOnlyStoreRefusesWritesWithReadOnlyError() throws {
        let directory = try makeTemporaryDirectory(self)
        try PredictionStore(directory: directory).record(fullRecord())
        let reader = try PredictionStore(directory: directory, access: .readOnly)
        XCTAssertEqual(try reader.count(), 1, "reads work")
        // SQLite itself refuses the write (SQLITE_READONLY), which works even as root.
        XCTAssertThrowsStoreError(try reader.record(fullRecord())) { error in
            error == .readOnly(path: reader.path) && error.description.contains("is read-only")
        }
        XCTAssertThrowsStoreError(try reader.setActual(id: 1, actual: "3")) { $0 == .readOnly(path: reader.path) }
        XCTAssertEqual(try reader.count(), 1)
    }

    func testReadOnlyFilePermissionsAreReportedBeforeAnyWrite() throws {
        // Root ignores file modes, so chmod cannot make a file read-only for it; the
        // SQLITE_READONLY path is covered by the test above.
        try XCTSkipIf(geteuid() == 0, "running as root, where chmod 444 does not prevent writes")
        let directory = try makeTemporaryDirectory(self)
        let path = try PredictionStore(directory: directory).path
        XCTAssertEqual(chmod(path, 0o444), 0)
        defer { chmod(path, 0o644) }
        XCTAssertThrowsStoreError(try PredictionStore(path: path)) { $0 == .readOnly(path: path) }
        XCTAssertEqual(try PredictionStore(path: path, access: .readOnly).count(), 0)
    }

    func testLockHeldByAnotherConnectionFailsAfterTheBusyTimeout() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        try store.record(fullRecord())

        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // keep the transaction open across calls
        let other = try DatabaseQueue(path: store.path, configuration: configuration)
        try other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }

        let start = Date()
        XCTAssertThrowsStoreError(try store.record(fullRecord())) { error in
            error == .locked(path: store.path, seconds: PredictionStore.busyTimeout)
                && error.description.contains("locked") && error.description.contains(store.path)
        }
        let waited = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(waited, PredictionStore.busyTimeout * 0.9, "waits for the lock first")
        XCTAssertLessThan(waited, PredictionStore.busyTimeout + 3, "then gives up")
        // WAL lets readers continue while another connection writes.
        XCTAssertEqual(try store.count(), 1)
        XCTAssertEqual(try PredictionStore(directory: directory, access: .readOnly).count(), 1)
        // An up-to-date log opens without writing, so the app can start during a CLI import.
        XCTAssertEqual(try PredictionStore(directory: directory).count(), 1)

        try other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        XCTAssertNoThrow(try store.record(fullRecord()), "works again once the lock is released")
        XCTAssertEqual(try store.count(), 2)
    }

    func testUnusableDirectories() throws {
        let base = try makeTemporaryDirectory(self)
        let file = base + "/not-a-directory"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        XCTAssertThrowsStoreError(try PredictionStore(directory: file)) {
            $0 == .directoryUnavailable(path: file, reason: "it is a file, not a directory")
        }
        XCTAssertThrowsStoreError(try PredictionStore(directory: file + "/sub")) { error in
            guard case .directoryUnavailable(let path, _) = error else { return false }
            return path == file + "/sub" && error.description.contains("cannot be used")
        }
        XCTAssertThrowsStoreError(try PredictionStore(path: base + "/missing/numeral.sqlite")) {
            if case .directoryUnavailable(base + "/missing", _) = $0 { return true } else { return false }
        }
        XCTAssertThrowsStoreError(try PredictionStore(path: base)) {
            if case .directoryUnavailable(base, _) = $0 { return true } else { return false }
        }
    }

    func testReadOnlyOpenOfAMissingLogDoesNotCreateIt() throws {
        let base = try makeTemporaryDirectory(self)
        XCTAssertThrowsStoreError(try PredictionStore(directory: base + "/nowhere", access: .readOnly)) {
            $0 == .missingDatabase(path: base + "/nowhere/numeral.sqlite")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: base + "/nowhere"))
    }

    func testValuesOfTheWrongTypeAreReportedNotTrapped() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let id = try store.record(fullRecord())
        try store.registerModel(ModelVersion(id: "m", path: "/m"))
        try store.pool.write { db in
            try db.execute(sql: "UPDATE predictions SET confidence = 'high' WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE models SET created = x'00ff'")
        }
        XCTAssertEqual(try store.read().skipped,
                       [.init(id: id, reason: "prediction \(id) has an unreadable prediction or confidence")])
        XCTAssertEqual(try store.recent(limit: 1), [], "a damaged row is skipped, not trapped on")
        XCTAssertThrowsStoreError(try store.models()) {
            $0 == .corrupt(path: store.path, detail: "model m has an unreadable creation date")
        }
    }

    func testDamagedRowIsSkippedAndReportedWithItsId() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let good = try store.record(fullRecord())
        let id = try store.record(fullRecord())
        let unknownType = try store.record(fullRecord())
        try store.pool.write { db in
            try db.execute(sql: "UPDATE predictions SET top3 = 'not json' WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE predictions SET input_type = 'scanner' WHERE id = ?", arguments: [unknownType])
        }
        let read = try store.read()
        XCTAssertEqual(read.records.map(\.id), [good], "the readable row is still used")
        XCTAssertEqual(read.skipped, [
            .init(id: id, reason: "prediction \(id) has an unreadable top-3 list"),
            .init(id: unknownType, reason: "prediction \(unknownType) has an unknown input type \"scanner\""),
        ])
        XCTAssertEqual(try store.labelled().count, 1, "improve reads past it too")
        let csv = try makeTemporaryDirectory(self) + "/out.csv"
        let exported = try LogCSV.export(from: store, toFile: csv)
        XCTAssertEqual(exported.written, 1)
        XCTAssertEqual(exported.skipped.map(\.id), [id, unknownType])
        XCTAssertTrue(read.skippedSummary?.contains("id \(unknownType)") == true)
    }

    func testALogWrittenByANewerNumeralIsNotWritten() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        try store.record(fullRecord())
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 999") }
        try store.pool.close()
        XCTAssertThrowsStoreError(try PredictionStore(directory: directory)) {
            $0 == .newerSchema(path: directory + "/numeral.sqlite", version: 999, supported: StoreSchema.userVersion)
        }
        let log = try DurablePredictionLog(directory: directory)
        guard case .kept(let reason) = try log.upsert(fullRecord(), uid: "a-1") else { return XCTFail("must not be written") }
        XCTAssertTrue(reason.contains("newer Numeral"), reason)
        XCTAssertEqual(log.pendingCount, 1, "kept for a Numeral that can write it")
        let raw = try DatabaseQueue(path: directory + "/numeral.sqlite")
        try raw.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions"), 1, "nothing written")
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), 999)
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").count, StoreSchema.versions.count)
        }
    }
}
