import Foundation
import GRDB
import XCTest
@testable import NumeralStore

/// Nothing acknowledged is lost: writes the database cannot take now wait in the fsynced
/// spool and reach the log, once each and in order, when it frees, in this process or the next.
final class DurableLogTests: XCTestCase {
    /// Holds the database's write lock from another connection, as another process would.
    private func holdWriteLock(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // keep the transaction open across calls
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        return other
    }

    private func release(_ other: DatabaseQueue) throws {
        try other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try other.close()
    }

    func testWritesMadeWhileAnotherProcessHoldsTheLockAreKeptAndWrittenAfter() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let log = DurablePredictionLog(store: store)
        XCTAssertEqual(try log.upsert(fullRecord(predicted: "1"), uid: "s-1"), .stored(id: 1))

        let other = try holdWriteLock(store.path)
        guard case .kept = try log.upsert(fullRecord(predicted: "2"), uid: "s-2") else { return XCTFail("not kept") }
        // Later writes queue behind it without waiting for the lock again.
        let started = Date()
        guard case .kept = try log.setActual(uid: "s-2", actual: "3") else { return XCTFail("not kept") }
        guard case .kept = try log.upsert(fullRecord(predicted: "4"), uid: "s-1") else { return XCTFail("not kept") }
        XCTAssertLessThan(Date().timeIntervalSince(started), PredictionStore.busyTimeout * 2 + 1)
        XCTAssertEqual(log.pendingCount, 3)
        XCTAssertEqual(try store.count(), 1)

        try release(other)
        let result = try log.flush()
        XCTAssertEqual(result.applied, 3)
        XCTAssertEqual(result.remaining, 0)
        XCTAssertEqual(log.pendingCount, 0)
        let rows = try store.all()
        XCTAssertEqual(rows.map(\.uid), ["s-1", "s-2"], "one row per record")
        XCTAssertEqual(rows.map(\.predicted), ["4", "2"], "the update of s-1 landed on its row")
        XCTAssertEqual(rows.map(\.actual), ["1", "3"], "feedback followed its prediction")
    }

    func testKeptWritesReachTheLogInTheNextProcess() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let other = try holdWriteLock(store.path)
        do {
            let log = DurablePredictionLog(store: store)
            for n in 1...3 {
                guard case .kept = try log.upsert(fullRecord(predicted: String(n)), uid: "run1-\(n)") else { return XCTFail() }
            }
        }
        try release(other)
        // A new run (a restart after a crash) opens the same data directory.
        let restarted = try DurablePredictionLog(directory: directory)
        XCTAssertEqual(restarted.pendingCount, 3)
        XCTAssertEqual(try restarted.flush().applied, 3)
        XCTAssertEqual(try store.all().map(\.predicted), ["1", "2", "3"])
        // Replaying again (say the process died before emptying the spool) adds nothing.
        XCTAssertEqual(try restarted.flush().applied, 0)
        XCTAssertEqual(try store.count(), 3)
    }

    func testTheRetryTimerWritesKeptRecordsOnceTheLockFrees() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let log = DurablePredictionLog(store: store)
        let other = try holdWriteLock(store.path)
        guard case .kept = try log.upsert(fullRecord(), uid: "t-1") else { return XCTFail() }
        let drained = expectation(description: "drained")
        log.startRetrying(every: 0.2) { result in if result.applied == 1 { drained.fulfill() } }
        try release(other)
        wait(for: [drained], timeout: 15)
        log.stopRetrying()
        XCTAssertEqual(try store.all().map(\.uid), ["t-1"])
    }

    func testAReplayedUpsertKeepsTheFirstTimestampAndTheFeedback() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        try store.upsert(fullRecord("2024-03-01T10:00:00.000Z", predicted: "2", actual: nil), uid: "d-1")
        try store.setActual(uid: "d-1", actual: "4")
        try store.upsert(fullRecord("2024-03-01T10:00:09.000Z", predicted: "4", actual: nil), uid: "d-1")
        let row = try XCTUnwrap(try store.all().first)
        XCTAssertEqual(try store.count(), 1)
        XCTAssertEqual(row.timestamp, date("2024-03-01T10:00:00.000Z"), "created at the drawing's first prediction")
        XCTAssertEqual(row.predicted, "4")
        XCTAssertEqual(row.actual, "4")
        XCTAssertThrowsStoreError(try store.setActual(uid: "nobody", actual: "1")) { $0 == .unknownRecord(uid: "nobody") }
    }

    func testATornLineAndARefusedWriteAreSetAsideNotLost() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let log = DurablePredictionLog(store: store)
        var bad = fullRecord()
        bad.confidence = 7  // refused for good by validation
        try log.spool.append([.upsert({ var r = fullRecord(); r.uid = "ok-1"; return r }()),
                              .upsert({ var r = bad; r.uid = "bad-1"; return r }())])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log.spool.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"op\":\"upsert\",\"uid\":\"torn".utf8))
        handle.closeFile()
        let result = try log.flush()
        XCTAssertEqual(result.applied, 1)
        XCTAssertEqual(result.rejected, 2)
        XCTAssertEqual(try store.all().map(\.uid), ["ok-1"])
        let rejected = try String(contentsOfFile: log.spool.rejectedPath, encoding: .utf8)
        XCTAssertTrue(rejected.contains("bad-1") && rejected.contains("torn"), rejected)
    }

    func testImportCommitsInChunksAndAnInterruptedImportResumes() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let records = (0..<35).map { i in
            PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_700_000_000 + Double(i)), inputType: .canvas,
                             predicted: String(i % 10), confidence: 0.5)
        }
        var progress: [Int] = []
        // "Interrupted" after the first 20: those chunks are committed.
        _ = try store.importRecords(Array(records.prefix(20)), chunkSize: 10) { progress.append($0) }
        XCTAssertEqual(progress, [10, 20])
        let resumed = try store.importRecords(records, chunkSize: 10)
        XCTAssertEqual(resumed.imported, 15)
        XCTAssertEqual(resumed.duplicates, 20)
        XCTAssertEqual(try store.count(), 35)
    }

    func testAnotherWriterGetsTheLockBetweenImportChunks() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let records = (0..<40_000).map { i in
            PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_700_000_000 + Double(i) / 1000), inputType: .upload,
                             predicted: String(i % 10), confidence: 0.5)
        }
        let importer = Thread {
            _ = try? store.importRecords(records, chunkSize: PredictionStore.importChunkSize)
        }
        let other = try PredictionStore(directory: directory)
        importer.start()
        Thread.sleep(forTimeInterval: 0.2)
        // Writes during the import must not wait the busy timeout out.
        var worst = 0.0
        for n in 0..<5 {
            let started = Date()
            try other.upsert(fullRecord(predicted: "5"), uid: "app-\(n)")
            worst = max(worst, Date().timeIntervalSince(started))
        }
        XCTAssertLessThan(worst, PredictionStore.busyTimeout, "a write waited for the whole import")
        while importer.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(try store.count(), 40_005)
    }
}
