import Foundation
import GRDB

extension PredictionStore {
    /// Appends one prediction in its own durable transaction and returns its id.
    /// The record's `id` is ignored; its timestamp is kept to the millisecond.
    @discardableResult
    public func record(_ record: PredictionRecord) throws -> Int64 {
        if let postgres { return try postgres.record(record) }
        return try guarded {
            let arguments = try PredictionRow.insertArguments(record)
            return try pool.write { db in
                try db.execute(sql: "INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (\(PredictionRow.insertPlaceholders))",
                               arguments: arguments)
                return db.lastInsertedRowID
            }
        }
    }

    /// Writes the record named `uid`: inserted the first time, and on later calls its
    /// prediction, confidence, top-3, model, latency, input and drawing are replaced, while
    /// its timestamp (the drawing's first prediction) and any feedback stay. Idempotent, so a
    /// write replayed from the spool after a crash does no harm. Returns the row's id.
    @discardableResult
    public func upsert(_ record: PredictionRecord, uid: String) throws -> Int64 {
        try Self.checkUID(uid)
        if let postgres { return try postgres.upsert(record, uid: uid) }
        return try guarded {
            var record = record
            record.uid = uid
            let arguments = try PredictionRow.insertArguments(record)
            return try pool.write { db in
                try db.execute(sql: Self.upsertSQL, arguments: arguments)
                return try Int64.fetchOne(db, sql: "SELECT id FROM predictions WHERE uid = ?", arguments: [uid]) ?? -1
            }
        }
    }

    /// Stores the user's correction (or confirmation) on the record named `uid`.
    public func setActual(uid: String, actual: String?) throws {
        if let postgres { return try postgres.setActual(uid: uid, actual: actual) }
        try guarded {
            if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
            try pool.write { db in
                try db.execute(sql: "UPDATE predictions SET digit_actual = ? WHERE uid = ?", arguments: [actual, uid])
                guard db.changesCount == 1 else { throw StoreError.unknownRecord(uid: uid) }
            }
        }
    }

    /// Stores the user's correction (or confirmation); nil removes the feedback.
    public func setActual(id: Int64, actual: String?) throws {
        if let postgres { return try postgres.setActual(id: id, actual: actual) }
        try guarded {
            if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
            try pool.write { db in
                try db.execute(sql: "UPDATE predictions SET digit_actual = ? WHERE id = ?", arguments: [actual, id])
                guard db.changesCount == 1 else { throw StoreError.unknownPrediction(id: id) }
            }
        }
    }

    /// One record by id, or nil.
    public func prediction(id: Int64) throws -> PredictionRecord? {
        if let postgres {
            return try postgres.read(filter: LogFilter(), extra: ["id = \(id)"], order: "id", limit: 1, includePayload: true).records.first
        }
        return try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT \(PredictionRow.columns) FROM predictions WHERE id = ?", arguments: [id])
                    .map(PredictionRow.decode)
            }
        }
    }

    /// Up to `limit` records with ids above `afterID`, in id order: a whole log read page by
    /// page in bounded memory (`numeral log copy`).
    public func readPage(afterID: Int64, limit: Int) throws -> LogRead {
        try fetchRead(filter: LogFilter(), extra: ["id > \(afterID)"], order: "id", limit: max(1, limit), includePayload: true)
    }

    /// The newest records first.
    public func recent(limit: Int, includePayload: Bool = true) throws -> [PredictionRecord] {
        try fetch(filter: LogFilter(), extra: [], order: "timestamp DESC, id DESC",
                  limit: max(0, limit), includePayload: includePayload)
    }

    /// Records matching `filter`, oldest first, and the rows that could not be read (skipped,
    /// so one damaged row never blocks the rest). Pass `includePayload: false` to skip the
    /// input bytes and drawings, which analytics never look at.
    public func read(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> LogRead {
        try fetchRead(filter: filter, extra: [], order: "timestamp, id", limit: nil, includePayload: includePayload)
    }

    /// The records of `read(filter:includePayload:)`, without the report of skipped rows.
    public func all(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> [PredictionRecord] {
        try read(filter: filter, includePayload: includePayload).records
    }

    /// Records with feedback, oldest first: the training material for model improvement,
    /// and the rows that could not be read.
    public func readLabelled(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> LogRead {
        try fetchRead(filter: filter, extra: ["digit_actual IS NOT NULL"], order: "timestamp, id",
                      limit: nil, includePayload: includePayload)
    }

    /// The records of `readLabelled(filter:includePayload:)`.
    public func labelled(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> [PredictionRecord] {
        try readLabelled(filter: filter, includePayload: includePayload).records
    }

    public func count(filter: LogFilter = LogFilter()) throws -> Int {
        if let postgres { return try postgres.count(filter: filter) }
        return try guarded {
            let (sql, arguments) = PredictionRow.whereClause(filter)
            return try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions" + sql, arguments: arguments) ?? 0
            }
        }
    }

    /// A number that changes whenever any process changes predictions or models: poll it
    /// (a single-row read) and reload only when it differs from the last value seen.
    public func changeToken() throws -> Int64 {
        if let postgres { return try postgres.changeToken() }
        return try guarded {
            try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT value FROM log_revision WHERE id = 1") ?? 0
            }
        }
    }

    private func fetch(filter: LogFilter, extra: [String], order: String, limit: Int?,
                       includePayload: Bool) throws -> [PredictionRecord] {
        try fetchRead(filter: filter, extra: extra, order: order, limit: limit, includePayload: includePayload).records
    }

    private func fetchRead(filter: LogFilter, extra: [String], order: String, limit: Int?,
                           includePayload: Bool) throws -> LogRead {
        if let postgres {
            return try postgres.read(filter: filter, extra: extra, order: order, limit: limit, includePayload: includePayload)
        }
        return try guarded {
            let (whereSQL, arguments) = PredictionRow.whereClause(filter, extra: extra)
            let columns = includePayload ? PredictionRow.columns : PredictionRow.columnsWithoutPayload
            var sql = "SELECT \(columns) FROM predictions\(whereSQL) ORDER BY \(order)"
            if let limit { sql += " LIMIT \(limit)" }
            return try pool.read { db in
                var read = LogRead()
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    do {
                        read.records.append(try PredictionRow.decode(row))
                    } catch let damaged as DamagedRow {
                        read.skipped.append(.init(id: damaged.id, reason: damaged.detail))
                    }
                }
                return read
            }
        }
    }
}

extension PredictionStore {
    /// Rows per import transaction: large enough that a 1M-row import is not dominated by
    /// fsyncs, small enough that the app, waiting for the write lock, waits a moment at most.
    public static let importChunkSize = 2_000

    /// Adds records, skipping any already logged: same `uid` when the record has one, else
    /// same timestamp, input type, prediction and confidence (or earlier in `records`).
    /// Commits every `chunkSize` rows, so other writers get the lock between chunks and an
    /// interrupted import, run again, adds exactly what is missing. `progress` gets the
    /// number of records handled so far after each chunk.
    public func importRecords(_ records: [PredictionRecord], chunkSize: Int = PredictionStore.importChunkSize,
                              progress: ((Int) -> Void)? = nil) throws -> (imported: Int, duplicates: Int) {
        if let postgres { return try postgres.importRecords(records, chunkSize: chunkSize, progress: progress) }
        return try guarded {
            let arguments = try records.map(PredictionRow.insertArguments)
            var imported = 0
            var start = 0
            var lastChunk = 0.0
            let size = max(1, chunkSize)
            while start < records.count {
                let end = min(records.count, start + size)
                // Another process waiting for the write lock polls for it every few to 100 ms;
                // an importer that took the lock straight back after each chunk could starve
                // it past its busy timeout. Pausing as long as the chunk took (5-100 ms) leaves
                // the lock free half the time.
                if start > 0 { usleep(useconds_t(min(100_000, max(5_000, lastChunk * 1_000_000)))) }
                let chunkStarted = Date()
                defer { lastChunk = Date().timeIntervalSince(chunkStarted) }
                imported += try pool.write { db in
                    var added = 0
                    let exists = try db.makeStatement(sql: """
                        SELECT 1 FROM predictions
                        WHERE timestamp = ? AND input_type = ? AND digit_predicted = ? AND confidence = ? LIMIT 1
                        """)
                    let existsUID = try db.makeStatement(sql: "SELECT 1 FROM predictions WHERE uid = ? LIMIT 1")
                    let insert = try db.makeStatement(sql: """
                        INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (\(PredictionRow.insertPlaceholders))
                        """)
                    for index in start..<end {
                        let record = records[index]
                        guard let timestamp = UTCTimestamp.format(record.timestamp) else { continue }
                        if let uid = record.uid {
                            if try Bool.fetchOne(existsUID, arguments: [uid]) != nil { continue }
                        } else {
                            let key: StatementArguments = [timestamp, record.inputType.rawValue, record.predicted, record.confidence]
                            if try Bool.fetchOne(exists, arguments: key) != nil { continue }
                        }
                        try insert.execute(arguments: arguments[index])
                        added += 1
                    }
                    return added
                }
                start = end
                progress?(start)
            }
            return (imported, records.count - imported)
        }
    }
}
