import Foundation
import GRDB

extension PredictionStore {
    /// Appends one prediction in its own durable transaction and returns its id.
    /// The record's `id` is ignored; its timestamp is kept to the millisecond.
    @discardableResult
    public func record(_ record: PredictionRecord) throws -> Int64 {
        try guarded {
            let arguments = try PredictionRow.insertArguments(record)
            return try pool.write { db in
                try db.execute(sql: "INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: arguments)
                return db.lastInsertedRowID
            }
        }
    }

    /// Stores the user's correction (or confirmation); nil removes the feedback.
    public func setActual(id: Int64, actual: String?) throws {
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
        try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT \(PredictionRow.columns) FROM predictions WHERE id = ?", arguments: [id])
                    .map(PredictionRow.decode)
            }
        }
    }

    /// The newest records first.
    public func recent(limit: Int, includePayload: Bool = true) throws -> [PredictionRecord] {
        try fetch(filter: LogFilter(), extra: [], order: "timestamp DESC, id DESC",
                  limit: max(0, limit), includePayload: includePayload)
    }

    /// Records matching `filter`, oldest first. Pass `includePayload: false` to skip the
    /// input bytes and drawings, which analytics never look at.
    public func all(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> [PredictionRecord] {
        try fetch(filter: filter, extra: [], order: "timestamp, id", limit: nil, includePayload: includePayload)
    }

    /// Records with feedback, oldest first: the training material for model improvement.
    public func labelled(filter: LogFilter = LogFilter(), includePayload: Bool = true) throws -> [PredictionRecord] {
        try fetch(filter: filter, extra: ["digit_actual IS NOT NULL"], order: "timestamp, id",
                  limit: nil, includePayload: includePayload)
    }

    public func count(filter: LogFilter = LogFilter()) throws -> Int {
        try guarded {
            let (sql, arguments) = PredictionRow.whereClause(filter)
            return try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions" + sql, arguments: arguments) ?? 0
            }
        }
    }

    /// A number that changes whenever any process changes predictions or models: poll it
    /// (a single-row read) and reload only when it differs from the last value seen.
    public func changeToken() throws -> Int64 {
        try guarded {
            try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT value FROM log_revision WHERE id = 1") ?? 0
            }
        }
    }

    private func fetch(filter: LogFilter, extra: [String], order: String, limit: Int?,
                       includePayload: Bool) throws -> [PredictionRecord] {
        try guarded {
            let (whereSQL, arguments) = PredictionRow.whereClause(filter, extra: extra)
            let columns = includePayload ? PredictionRow.columns : PredictionRow.columnsWithoutPayload
            var sql = "SELECT \(columns) FROM predictions\(whereSQL) ORDER BY \(order)"
            if let limit { sql += " LIMIT \(limit)" }
            return try pool.read { db in
                try Row.fetchCursor(db, sql: sql, arguments: arguments).map(PredictionRow.decode).reduce(into: []) {
                    $0.append($1)
                }
            }
        }
    }
}

extension PredictionStore {
    /// Adds records in one transaction, skipping any whose timestamp, input type, prediction
    /// and confidence are already logged (or earlier in `records`). Used by CSV import,
    /// where one transaction makes a 10 000-row import one fsync instead of 10 000.
    public func importRecords(_ records: [PredictionRecord]) throws -> (imported: Int, duplicates: Int) {
        try guarded {
            let arguments = try records.map(PredictionRow.insertArguments)
            return try pool.write { db in
                var imported = 0
                let exists = try db.makeStatement(sql: """
                    SELECT 1 FROM predictions
                    WHERE timestamp = ? AND input_type = ? AND digit_predicted = ? AND confidence = ? LIMIT 1
                    """)
                let insert = try db.makeStatement(sql: """
                    INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (record, values) in zip(records, arguments) {
                    guard let timestamp = UTCTimestamp.format(record.timestamp) else { continue }
                    let key: StatementArguments = [timestamp, record.inputType.rawValue, record.predicted, record.confidence]
                    if try Bool.fetchOne(exists, arguments: key) != nil { continue }
                    try insert.execute(arguments: values)
                    imported += 1
                }
                return (imported, records.count - imported)
            }
        }
    }
}
