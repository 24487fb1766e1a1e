import Dispatch
import Foundation

/// Group commit for a log that many clients write at once (`numeral serve`): each write is
/// queued, and one writer, off every caller's thread, takes all the writes that are waiting,
/// commits them in one transaction (one fsync) through the durable log, and only then completes
/// each of them. Nothing is acknowledged before it is durable: in the database, or, when the
/// log refuses writes for a reason that may pass, in the fsynced spool (the durable log's own
/// rules, unchanged). While one commit is on disk the next writes gather, so under load a commit
/// carries as many records as arrived during the last one, and a lone write waits for no
/// timer. A commit that fails and cannot be kept in the spool either gives every write in it
/// the same typed `StoreError`; an entry the log refuses for good fails alone.
public final class GroupCommitWriter: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<DurablePredictionLog.Receipt, StoreError>) -> Void

    public let log: DurablePredictionLog
    /// The most writes one transaction carries.
    public let maxBatch: Int
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var pending: [(entry: SpoolEntry, completion: Completion)] = []
    private var writing = false
    private var batches = 0
    private var entries = 0

    /// - Parameter queue: where commits run (serial); tests pass one they can hold.
    public init(log: DurablePredictionLog, maxBatch: Int = 512,
                queue: DispatchQueue = DispatchQueue(label: "numeral.log.group-commit", qos: .userInitiated)) {
        self.log = log
        self.maxBatch = max(1, maxBatch)
        self.queue = queue
    }

    /// Transactions (or spool appends) made so far: fewer than the writes when they were grouped.
    public var commits: Int { lock.withLock { batches } }

    /// Writes committed so far (in `commits` transactions): their ratio is the mean batch size.
    public var writes: Int { lock.withLock { entries } }

    /// Queues `entry`; `completion` runs on the writer's queue once it is durable, or failed.
    public func submit(_ entry: SpoolEntry, completion: @escaping Completion) {
        let start = lock.withLock { () -> Bool in
            pending.append((entry, completion))
            guard !writing else { return false }
            writing = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Writes (inserts or updates) the record named `uid` and returns once it is durable.
    @discardableResult
    public func upsert(_ record: PredictionRecord, uid: String) async throws -> DurablePredictionLog.Receipt {
        var record = record
        record.uid = uid
        return try await submit(.upsert(record))
    }

    /// Sets the feedback of the record named `uid` and returns once it is durable.
    @discardableResult
    public func setActual(uid: String, actual: String?) async throws -> DurablePredictionLog.Receipt {
        try await submit(.feedback(uid: uid, actual: actual))
    }

    public func submit(_ entry: SpoolEntry) async throws -> DurablePredictionLog.Receipt {
        try await withCheckedThrowingContinuation { continuation in
            submit(entry) { continuation.resume(with: $0) }
        }
    }

    /// Runs on `queue`: commits what waits, batch after batch, until nothing does.
    private func drain() {
        while true {
            let batch = lock.withLock { () -> [(entry: SpoolEntry, completion: Completion)] in
                let taken = Array(pending.prefix(maxBatch))
                pending.removeFirst(taken.count)
                if taken.isEmpty { writing = false } else { batches += 1; entries += taken.count }
                return taken
            }
            guard !batch.isEmpty else { return }
            let results: [Result<DurablePredictionLog.Receipt, StoreError>]
            do {
                results = try log.write(batch.map(\.entry))
            } catch {
                let failure = error as? StoreError
                    ?? .spool(path: log.spool.path, reason: String(describing: error))
                results = Array(repeating: .failure(failure), count: batch.count)
            }
            for (item, result) in zip(batch, results) { item.completion(result) }
        }
    }
}
