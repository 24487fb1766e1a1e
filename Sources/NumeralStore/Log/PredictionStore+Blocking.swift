import Foundation

/// The log's operations for callers on a thread of their own: each runs the backend's
/// asynchronous operation (`PredictionLog`, `PredictionLog+Operations`, `+Analytics`) to
/// completion. Same meaning, same errors.
extension PredictionStore {
    private func blocking<T>(_ body: @escaping @Sendable (any PredictionLog) async throws -> T) throws -> T {
        let log = self.log
        return try AsyncBridge.run { try await body(log) }
    }

    // MARK: Writing

    @discardableResult
    public func record(_ record: PredictionRecord) throws -> Int64 { try blocking { try await $0.record(record) } }

    @discardableResult
    public func upsert(_ record: PredictionRecord, uid: String) throws -> Int64 { try blocking { try await $0.upsert(record, uid: uid) } }

    public func setActual(uid: String, actual: String?) throws { try blocking { try await $0.setActual(uid: uid, actual: actual) } }

    public func setActual(id: Int64, actual: String?) throws { try blocking { try await $0.setActual(id: id, actual: actual) } }

    public func write(batch entries: [SpoolEntry]) throws -> [Result<Int64, StoreError>] {
        try blocking { try await $0.write(batch: entries) }
    }

    public func importRecords(_ records: [PredictionRecord], chunkSize: Int = PredictionStore.importChunkSize,
                              progress: ((Int) -> Void)? = nil) throws -> (imported: Int, duplicates: Int) {
        let report = progress.map(UncheckedProgress.init)
        return try blocking { try await $0.importRecords(records, chunkSize: chunkSize, progress: report.map { r in { r.call($0) } }) }
    }

    /// The caller's progress callback, called from the import's task while the caller waits.
    private struct UncheckedProgress: @unchecked Sendable {
        let call: (Int) -> Void
    }

    // MARK: Reading

    public func prediction(id: Int64) throws -> PredictionRecord? { try blocking { try await $0.prediction(id: id) } }

    /// Up to `limit` records with ids above `afterID`, in id order: a whole log read page by
    /// page in bounded memory (`numeral log copy`).
    public func readPage(afterID: Int64, limit: Int) throws -> LogRead {
        try blocking { try await $0.read(.after(id: afterID), filter: LogFilter(), limit: max(1, limit), includePayload: true) }
    }

    /// The newest records first.
    public func recent(limit: Int, includePayload: Bool = true) throws -> [PredictionRecord] {
        try blocking { try await $0.read(.newestFirst, filter: LogFilter(), limit: max(0, limit), includePayload: includePayload).records }
    }

    /// Records matching `filter`, oldest first, and the rows that could not be read (skipped,
    /// so one damaged row never blocks the rest).
    public func read(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> LogRead {
        try blocking { try await $0.read(.all, filter: filter, limit: nil, includePayload: includePayload) }
    }

    /// Up to `limit` records `selection` selects within `filter`, in its order.
    public func read(_ selection: RecordSelection, filter: LogFilter = LogFilter(), limit: Int?, includePayload: Bool = true) throws -> LogRead {
        try blocking { try await $0.read(selection, filter: filter, limit: limit.map { max(0, $0) }, includePayload: includePayload) }
    }

    /// The oldest and newest record's time within `filter` (nil for none), read from the ends
    /// of the time index.
    public func timeSpan(filter: LogFilter = LogFilter()) throws -> (first: Date?, last: Date?) {
        try blocking { log in
            let row = try await log.aggregate("SELECT MIN(timestamp), MAX(timestamp) FROM predictions {where}", filter: filter, extra: []).first
            return (row?.date(0), row?.date(1))
        }
    }

    public func all(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> [PredictionRecord] {
        try read(filter: filter, includePayload: includePayload).records
    }

    /// Records with feedback, oldest first: the training material for model improvement.
    public func readLabelled(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> LogRead {
        try blocking { try await $0.read(.labelled, filter: filter, limit: nil, includePayload: includePayload) }
    }

    public func labelled(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> [PredictionRecord] {
        try readLabelled(filter: filter, includePayload: includePayload).records
    }

    public func count(filter: LogFilter = LogFilter()) throws -> Int { try blocking { try await $0.count(filter: filter) } }

    /// A number that changes whenever any process changes predictions or models: poll it
    /// (a single-row read) and reload only when it differs from the last value seen.
    public func changeToken() throws -> Int64 { try blocking { try await $0.changeToken() } }

    // MARK: Analytics

    public func report(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5, confusedPairLimit: Int = 10,
                       timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current,
                       unreadable: [LogRead.SkippedRow]? = nil) throws -> AnalyticsReport {
        try blocking {
            try await $0.report(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold, confusedPairLimit: confusedPairLimit,
                                timeZone: timeZone, unreadable: unreadable)
        }
    }

    public func reportNamingUnreadable(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5,
                                       limit: Int = 100) throws -> (report: AnalyticsReport, unreadable: [LogRead.SkippedRow]) {
        try blocking { try await $0.reportNamingUnreadable(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold, limit: limit) }
    }

    public func unreadableRows(filter: LogFilter = LogFilter(), limit: Int = 100) throws -> [LogRead.SkippedRow] {
        try blocking { try await $0.unreadableRows(filter: filter, limit: limit) }
    }

    // MARK: Model versions

    public func registerModel(_ model: ModelVersion) throws { try blocking { try await $0.registerModel(model) } }
    public func models() throws -> [ModelVersion] { try blocking { try await $0.models() } }
    public func setActiveModel(id: String) throws { try blocking { try await $0.setActiveModel(id: id) } }
    public func activeModel() throws -> ModelVersion? { try blocking { try await $0.activeModel() } }

    /// For a shared log: keeps a version's weights and card in the database, so every machine
    /// on the log can load it. A no-op on SQLite, whose versions live beside the log.
    public func storeModelFiles(id: String, weights: Data, card: Data) throws {
        try blocking { try await $0.storeModelFiles(id: id, weights: weights, card: card) }
    }

    /// A version's weights and card from a shared log; nil on SQLite or when it has none.
    public func modelFiles(id: String) throws -> (weights: Data, card: Data)? {
        try blocking { try await $0.modelFiles(id: id) }
    }
}
