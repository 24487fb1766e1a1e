import Foundation
import GRDB
import XCTest
@testable import NumeralStore

/// Group commit: the writes of many clients in one transaction, each acknowledged only once it
/// is durable, each logged exactly once, and a failed commit reported to every write in it.
/// The writer's queue is held while writes arrive, so what goes into one commit is decided by
/// the test, not by timing.
final class GroupCommitTests: XCTestCase {
    private typealias Receipt = DurablePredictionLog.Receipt

    /// Submits `entries` from many threads while the writer's queue is held, then lets it run
    /// and returns each entry's result, in the entries' order.
    private func submitHeld(_ writer: GroupCommitWriter, queue: DispatchQueue,
                            _ entries: [SpoolEntry]) -> [Result<Receipt, StoreError>] {
        let results = Guarded([Result<Receipt, StoreError>?](repeating: nil, count: entries.count))
        let done = DispatchGroup()
        queue.suspend()
        DispatchQueue.concurrentPerform(iterations: entries.count) { index in
            done.enter()
            writer.submit(entries[index]) { result in
                results.withLock { $0[index] = result }
                done.leave()
            }
        }
        XCTAssertEqual(writer.commits, 0, "nothing is committed while the writer is held")
        queue.resume()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        return results.current.map { $0 ?? .failure(.invalidRecord("no answer")) }
    }

    private func upsert(_ uid: String, predicted: String = "7") -> SpoolEntry {
        var record = fullRecord(predicted: predicted, actual: nil)
        record.uid = uid
        return .upsert(record)
    }

    func testConcurrentWritesAreLoggedOnceEachInOneTransaction() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let queue = DispatchQueue(label: "test.group-commit")
        let writer = GroupCommitWriter(log: DurablePredictionLog(store: store), queue: queue)
        let uids = (0..<200).map { "client-\($0)" }
        let results = submitHeld(writer, queue: queue, uids.map { upsert($0) })

        XCTAssertEqual(writer.commits, 1, "200 waiting writes, one commit")
        XCTAssertEqual(writer.writes, 200)
        let ids = results.compactMap { result -> Int64? in
            guard case .success(.stored(let id)) = result else { XCTFail("not stored: \(result)"); return nil }
            return id
        }
        XCTAssertEqual(Set(ids).count, 200, "every write got its own row")
        let rows = try store.all()
        XCTAssertEqual(rows.count, 200)
        XCTAssertEqual(Set(rows.compactMap(\.uid)), Set(uids), "each logged exactly once")
        XCTAssertEqual(Dictionary(grouping: rows, by: \.uid).values.map(\.count).max(), 1)
    }

    func testWritesOfOneRecordLandInOrderAcrossBatches() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let queue = DispatchQueue(label: "test.group-commit")
        let writer = GroupCommitWriter(log: DurablePredictionLog(store: store), maxBatch: 4, queue: queue)
        // Submitted from one thread, so their order is known: ten states of one drawing, then its label.
        let results = Guarded<[Result<Receipt, StoreError>]>([])
        let done = DispatchGroup()
        queue.suspend()
        let entries = (1...10).map { upsert("drawing-1", predicted: String($0)) } + [.feedback(uid: "drawing-1", actual: "9")]
        for entry in entries {
            done.enter()
            writer.submit(entry) { result in results.withLock { $0.append(result) }; done.leave() }
        }
        queue.resume()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(writer.commits, 3, "11 writes, at most 4 per commit")
        XCTAssertEqual(results.current.count, 11)
        let rows = try store.all()
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.predicted, "10", "the last state of the drawing won")
        XCTAssertEqual(rows.first?.actual, "9")
    }

    func testAWriteTheLogRefusesFailsAloneAndTheOthersCommit() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let queue = DispatchQueue(label: "test.group-commit")
        let writer = GroupCommitWriter(log: DurablePredictionLog(store: store), queue: queue)
        var invalid = fullRecord(confidence: .nan)
        invalid.uid = "bad"
        let results = submitHeld(writer, queue: queue, [
            upsert("a"), .feedback(uid: "ghost", actual: "3"), .upsert(invalid), .feedback(uid: "a", actual: "12 x"), upsert("b"),
        ])
        XCTAssertEqual(writer.commits, 1)
        guard case .success(.stored) = results[0], case .success(.stored) = results[4] else { return XCTFail("\(results)") }
        XCTAssertEqual(results[1], .failure(.unknownRecord(uid: "ghost")))
        guard case .failure(.invalidRecord) = results[2], case .failure(.invalidRecord) = results[3] else { return XCTFail("\(results)") }
        XCTAssertEqual(try store.all().compactMap(\.uid).sorted(), ["a", "b"])
    }

    func testACommitThatCanNeitherBeWrittenNorKeptFailsEveryWaitingWrite() throws {
        // A data directory that is a file: the database cannot be opened, nor the spool beside it.
        let blocked = (try makeTemporaryDirectory(self) as NSString).appendingPathComponent("not-a-directory")
        XCTAssertTrue(FileManager.default.createFile(atPath: blocked, contents: Data("x".utf8)))
        let queue = DispatchQueue(label: "test.group-commit")
        let log = DurablePredictionLog(location: .sqlite(directory: blocked), spoolDirectory: blocked)
        let writer = GroupCommitWriter(log: log, queue: queue)
        let results = submitHeld(writer, queue: queue, (0..<20).map { upsert("w-\($0)") })
        XCTAssertEqual(writer.commits, 1)
        for result in results {
            guard case .failure(.spool(let path, _)) = result else { return XCTFail("expected the spool's error, got \(result)") }
            XCTAssertEqual(path, log.spool.path, "the error names the file that could not be written")
        }
    }

    func testACommitRefusedByALockedDatabaseIsKeptInOneAppendAndWrittenOnceLater() throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: directory)
        let log = DurablePredictionLog(store: store)
        let queue = DispatchQueue(label: "test.group-commit")
        let writer = GroupCommitWriter(log: log, queue: queue)
        // Another process holds the write lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: store.path, configuration: configuration)
        try other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }

        var invalid = fullRecord(predicted: "seven!")
        invalid.uid = "bad"
        let results = submitHeld(writer, queue: queue, (0..<30).map { upsert("k-\($0)") } + [.upsert(invalid)])
        XCTAssertEqual(writer.commits, 1)
        for result in results.prefix(30) {
            guard case .success(.kept) = result else { return XCTFail("expected kept, got \(result)") }
        }
        guard case .failure(.invalidRecord) = results[30] else { return XCTFail("an invalid record is refused, not kept: \(results[30])") }
        XCTAssertEqual(log.pendingCount, 30, "all acknowledged writes, and only those, are on disk in the spool")
        XCTAssertEqual(try store.count(), 0)

        try other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try other.close()
        XCTAssertEqual(try log.flush().applied, 30)
        XCTAssertEqual(try store.count(), 30)
        XCTAssertEqual(try log.flush().applied, 0)
        XCTAssertEqual(try store.count(), 30, "written once")
    }

    func testManyConcurrentClientsThroughTheAsyncAPI() async throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let writer = GroupCommitWriter(log: DurablePredictionLog(store: store))
        let uids = (0..<300).map { "task-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for uid in uids {
                group.addTask {
                    var record = fullRecord(actual: nil)
                    record.client = uid
                    guard case .stored = try await writer.upsert(record, uid: uid) else { throw StoreError.invalidRecord("kept") }
                    try await writer.setActual(uid: uid, actual: "4")
                }
            }
            try await group.waitForAll()
        }
        let rows = try store.all()
        XCTAssertEqual(rows.count, 300)
        XCTAssertEqual(Set(rows.compactMap(\.uid)), Set(uids))
        XCTAssertTrue(rows.allSatisfy { $0.actual == "4" && $0.client == $0.uid })
        do {
            try await writer.setActual(uid: "nobody", actual: "1")
            XCTFail("feedback for a record never written must fail")
        } catch let error as StoreError {
            XCTAssertEqual(error, .unknownRecord(uid: "nobody"))
        }
    }

    func testGroupCommitOnPostgreSQL() throws {
        let url = try PostgresTestServer.freshDatabase(self)
        let location = LogLocation.postgres(try PostgresURL(url))
        let queue = DispatchQueue(label: "test.group-commit")
        let log = DurablePredictionLog(location: location, spoolDirectory: try makeTemporaryDirectory(self))
        let writer = GroupCommitWriter(log: log, queue: queue)
        let entries = (0..<100).map { upsert("pg-\($0)") } + [.feedback(uid: "pg-0", actual: "5"), .feedback(uid: "ghost", actual: "5")]
        let results = submitHeld(writer, queue: queue, entries)
        XCTAssertEqual(writer.commits, 1)
        for result in results.prefix(101) {
            guard case .success(.stored) = result else { return XCTFail("not stored: \(result)") }
        }
        XCTAssertEqual(results[101], .failure(.unknownRecord(uid: "ghost")))
        let store = try PredictionStore(location: location)
        let rows = try store.all()
        XCTAssertEqual(rows.count, 100)
        XCTAssertEqual(Set(rows.compactMap(\.uid)).count, 100)
        XCTAssertEqual(rows.first { $0.uid == "pg-0" }?.actual, "5")
        XCTAssertEqual(log.pendingCount, 0)
    }
}

/// A value written from several threads, behind a lock.
private final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(&value) }
    var current: Value { withLock { $0 } }
}
