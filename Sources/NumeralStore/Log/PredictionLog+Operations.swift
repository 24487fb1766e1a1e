import Foundation

/// The log's operations as callers use them, the same on every backend: inputs are validated
/// here, once, before a backend sees them; reads are selections of `read`.
extension PredictionLog {
    /// Appends one prediction in its own durable transaction and returns its id.
    /// The record's `id` is ignored; its timestamp is kept to the millisecond.
    @discardableResult
    public func record(_ record: PredictionRecord) async throws -> Int64 {
        try RecordValidation.validate(record)
        return try await insert(record)
    }

    /// Writes the record named `uid`: inserted the first time, and on later calls its
    /// prediction, confidence, top-3, model, latency, input and drawing are replaced, while
    /// its timestamp (the drawing's first prediction) and any feedback stay. Idempotent, so a
    /// write replayed from the spool after a crash does no harm. Returns the row's id.
    @discardableResult
    public func upsert(_ record: PredictionRecord, uid: String) async throws -> Int64 {
        var record = record
        record.uid = uid
        return try await write(batch: [.upsert(record)])[0].get()
    }

    /// Stores the user's correction (or confirmation) on the record named `uid`.
    public func setActual(uid: String, actual: String?) async throws {
        _ = try await write(batch: [.feedback(uid: uid, actual: actual)])[0].get()
    }

    /// Stores the user's correction (or confirmation) on the row `id`; nil removes the feedback.
    public func setActual(id: Int64, actual: String?) async throws {
        if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
        try await updateActual(id: id, actual: actual)
    }

    /// Writes `entries` (upserts and feedback, applied in order) in one transaction: one commit
    /// and one fsync for all of them. How group commit makes many clients' records durable for
    /// the price of one.
    ///
    /// An entry the log refuses for good (an invalid record, feedback for a record that was
    /// never written) gets its own failure and changes nothing; the others are written. Any
    /// other failure (the database locked, read-only, full or unreachable) rolls the whole
    /// transaction back and is thrown: then none of the entries is in the log. Upserts give
    /// their row's id, feedback -1.
    public func write(batch entries: [SpoolEntry]) async throws -> [Result<Int64, StoreError>] {
        guard !entries.isEmpty else { return [] }
        // Validated before the transaction: a bad entry never costs the others their commit.
        var results = [Result<Int64, StoreError>](repeating: .success(-1), count: entries.count)
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
        guard !accepted.isEmpty else { return results }
        let written = try await commit(accepted.map { entries[$0] })
        for (index, result) in zip(accepted, written) { results[index] = result }
        return results
    }

    /// Adds records, skipping any already logged: same `uid` when the record has one, else
    /// same timestamp, input type, prediction and confidence (or earlier in `records`).
    /// Commits every `chunkSize` rows, so other writers get the lock between chunks and an
    /// interrupted import, run again, adds exactly what is missing.
    public func importRecords(_ records: [PredictionRecord], chunkSize: Int = PredictionStore.importChunkSize,
                              progress: (@Sendable (Int) -> Void)? = nil) async throws -> (imported: Int, duplicates: Int) {
        for record in records { try RecordValidation.validate(record) }
        return try await importChecked(records, chunkSize: chunkSize, progress: progress)
    }

    /// Adds a model version. If it is marked active, it replaces the active one.
    public func registerModel(_ model: ModelVersion) async throws {
        guard !model.id.isEmpty else { throw StoreError.invalidRecord("the model id is empty") }
        guard UTCTimestamp.format(model.created) != nil else {
            throw StoreError.invalidRecord("the model's creation date is outside years 0000...9999")
        }
        guard model.metrics.values.allSatisfy(\.isFinite) else {
            throw StoreError.invalidRecord("model \(model.id) has a non-finite metric")
        }
        try await insertModel(model)
    }

    // MARK: - Reading

    /// One record by id, or nil.
    public func prediction(id: Int64) async throws -> PredictionRecord? {
        try await read(.id(id), filter: LogFilter(), limit: 1, includePayload: true).records.first
    }

    /// Records matching `filter`, oldest first, and the rows that could not be read (skipped,
    /// so one damaged row never blocks the rest). Pass `includePayload: false` to skip the
    /// input bytes and drawings, which analytics never look at.
    public func read(filter: LogFilter = LogFilter(), includePayload: Bool = true) async throws -> LogRead {
        try await read(.all, filter: filter, limit: nil, includePayload: includePayload)
    }
}
