import Dispatch
import Foundation

/// The log as front ends write to it: nothing acknowledged is ever lost. A write goes to the
/// database when it can; when it cannot for a reason that may pass (another process holds
/// the write lock, the disk is full, the database cannot be opened yet) it is kept in the
/// durable spool beside the database and written, in order and once, when the log takes
/// writes again: at the next write, on the retry timer, or in the next process to open the
/// same data directory. Writes the log refuses for good (an invalid record) throw.
///
/// Thread-safe; calls block for at most the store's busy timeout, so make them off the UI
/// thread.
public final class DurablePredictionLog: @unchecked Sendable {
    /// What became of a write.
    public enum Receipt: Equatable, Sendable {
        /// In the database, as the row with this id.
        case stored(id: Int64)
        /// On disk in the spool, to be written when the log takes writes again.
        case kept(reason: String)
    }

    /// Where the log is: SQLite in a data directory or a shared PostgreSQL database.
    public let location: LogLocation
    public let spool: PredictionSpool
    private let lock = NSLock()
    private var openedStore: PredictionStore?
    /// False only when this process knows the spool to be empty.
    private var spoolMayHaveEntries = true
    private var retryTimer: DispatchSourceTimer?
    /// When the log last refused a write for a passing reason. Within `backoff` of it, new
    /// writes go straight to the spool instead of waiting out the busy timeout again.
    private var lastRefusal: Date?
    public var backoff: TimeInterval = 1

    /// The log at `location`, its spool in `spoolDirectory` on this machine (for a shared
    /// log: the kiosk's own data directory, where records wait while the server is away).
    /// The database is opened at the first write (or flush), and again after a failed open.
    public init(location: LogLocation, spoolDirectory: String) {
        self.location = location
        spool = PredictionSpool(directory: spoolDirectory)
    }

    /// The log of an already open store; for a shared log, give the local spool directory.
    public convenience init(store: PredictionStore, spoolDirectory: String? = nil) {
        let spool: String
        switch store.location {
        case .postgres: spool = spoolDirectory ?? PredictionStore.defaultDirectory()
        case .sqlite(let beside): spool = spoolDirectory ?? beside
        }
        self.init(location: store.location, spoolDirectory: spool)
        openedStore = store
    }

    /// The log `numeral.sqlite` in `directory`, created if needed.
    public convenience init(directory: String) throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.directoryUnavailable(path: directory, reason: "it cannot be created (\(error.localizedDescription))")
            }
        }
        self.init(location: .sqlite(directory: directory), spoolDirectory: directory)
    }

    deinit { retryTimer?.cancel() }

    /// Writes (inserts or updates) the record named `uid`; see `PredictionStore.upsert`.
    @discardableResult
    public func upsert(_ record: PredictionRecord, uid: String) throws -> Receipt {
        var record = record
        record.uid = uid
        return try write(.upsert(record))
    }

    /// Sets the feedback of the record named `uid`.
    @discardableResult
    public func setActual(uid: String, actual: String?) throws -> Receipt {
        try write(.feedback(uid: uid, actual: actual))
    }

    /// Writes what the spool holds, if the log takes writes now.
    @discardableResult
    public func flush() throws -> PredictionSpool.DrainResult {
        lock.lock()
        defer { lock.unlock() }
        return try drainLocked()
    }

    /// Entries waiting in the spool.
    public var pendingCount: Int { spool.pendingCount() }

    /// Retries the spool every `interval` seconds in the background while it holds entries,
    /// so kept writes reach the log soon after a lock frees even if nothing new is written.
    public func startRetrying(every interval: Double = 1, onDrain: (@Sendable (PredictionSpool.DrainResult) -> Void)? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard retryTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "numeral.log-retry", qos: .utility))
        timer.schedule(deadline: .now(), repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            guard self.lock.try() else { return }
            defer { self.lock.unlock() }
            guard self.spoolMayHaveEntries else { return }
            if let result = try? self.drainLocked(), result.applied > 0 || result.rejected > 0 { onDrain?(result) }
        }
        retryTimer = timer
        timer.resume()
    }

    public func stopRetrying() {
        lock.lock()
        defer { lock.unlock() }
        retryTimer?.cancel()
        retryTimer = nil
    }

    // MARK: - Internals

    private func write(_ entry: SpoolEntry) throws -> Receipt {
        try write([entry])[0].get()
    }

    /// Writes `entries` (upserts and feedback, in order) together: one transaction and one
    /// commit in the database, or, when the log refuses writes for a reason that may pass, one
    /// fsynced append to the spool. Each entry gets its own receipt, or its own error when the
    /// log refuses it for good (an invalid record, feedback for a record never written). Throws
    /// (a `StoreError`) only when the entries could neither be written nor kept: then none is.
    public func write(_ entries: [SpoolEntry]) throws -> [Result<Receipt, StoreError>] {
        // An entry the log would refuse for good is refused now, never kept in the spool.
        var results = [Result<Receipt, StoreError>?](repeating: nil, count: entries.count)
        var accepted: [Int] = []
        for (index, entry) in entries.enumerated() {
            do {
                try PredictionStore.check(entry)
                accepted.append(index)
            } catch let error as StoreError {
                results[index] = .failure(error)
            } catch {
                results[index] = .failure(.invalidRecord(String(describing: error)))
            }
        }
        let written = try writeChecked(accepted.map { entries[$0] })
        for (index, result) in zip(accepted, written) { results[index] = result }
        return results.map { $0 ?? .failure(.invalidRecord("the entry was not written")) }
    }

    private func writeChecked(_ entries: [SpoolEntry]) throws -> [Result<Receipt, StoreError>] {
        guard !entries.isEmpty else { return [] }
        lock.lock()
        defer { lock.unlock() }
        let kept = { (reason: String) in [Result<Receipt, StoreError>](repeating: .success(.kept(reason: reason)), count: entries.count) }
        // Earlier writes still waiting go first, so the log sees every record's writes in order.
        if spoolMayHaveEntries, let lastRefusal, Date().timeIntervalSince(lastRefusal) < backoff {
            try spool.append(entries)
            return kept("earlier writes are still waiting for the log")
        }
        if spoolMayHaveEntries {
            let drained = try drainLocked()
            if drained.remaining > 0 {
                try spool.append(entries)
                spoolMayHaveEntries = true
                return kept(drained.problem ?? "earlier writes are still waiting")
            }
        }
        do {
            return try currentStore().write(batch: entries).map { result in result.map { .stored(id: $0) } }
        } catch let error as StoreError where error.isTransient {
            try spool.append(entries)
            spoolMayHaveEntries = true
            lastRefusal = Date()
            return kept(error.description)
        }
    }

    private func drainLocked() throws -> PredictionSpool.DrainResult {
        let result = try spool.drain { entry in _ = try apply(entry) }
        spoolMayHaveEntries = result.remaining > 0
        lastRefusal = result.remaining > 0 ? Date() : nil
        return result
    }

    @discardableResult
    private func apply(_ entry: SpoolEntry) throws -> Int64 {
        let store = try currentStore()
        switch entry {
        case .upsert(let record):
            return try store.upsert(record, uid: entry.uid)
        case .feedback(let uid, let actual):
            try store.setActual(uid: uid, actual: actual)
            return -1
        }
    }

    private func currentStore() throws -> PredictionStore {
        if let openedStore { return openedStore }
        let store = try PredictionStore(location: location)
        openedStore = store
        return store
    }
}
