import Foundation
import GRDB

/// Predictions and feedback on SQLite.
extension SQLitePredictionLog {
    public func insert(_ record: PredictionRecord) async throws -> Int64 {
        let arguments = try PredictionRow.insertArguments(record)
        return try await writing { db in
            try db.execute(sql: "INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (\(PredictionRow.insertPlaceholders))",
                           arguments: arguments)
            return db.lastInsertedRowID
        }
    }

    public func commit(_ entries: [SpoolEntry]) async throws -> [Result<Int64, StoreError>] {
        let arguments: [StatementArguments] = try entries.map { entry in
            switch entry {
            case .upsert(let record): return try PredictionRow.insertArguments(record)
            case .feedback(let uid, let actual): return [actual, uid]
            }
        }
        return try await writing { db in
            var results = [Result<Int64, StoreError>](repeating: .success(-1), count: entries.count)
            let upsert = try db.cachedStatement(sql: Self.upsertSQL)
            let selectID = try db.cachedStatement(sql: "SELECT id FROM predictions WHERE uid = ?")
            let feedback = try db.cachedStatement(sql: "UPDATE predictions SET digit_actual = ? WHERE uid = ?")
            for (index, entry) in entries.enumerated() {
                switch entry {
                case .upsert:
                    try upsert.execute(arguments: arguments[index])
                    results[index] = .success(try Int64.fetchOne(selectID, arguments: [entry.uid]) ?? -1)
                case .feedback(let uid, _):
                    try feedback.execute(arguments: arguments[index])
                    if db.changesCount != 1 { results[index] = .failure(.unknownRecord(uid: uid)) }
                }
            }
            return results
        }
    }

    public func updateActual(id: Int64, actual: String?) async throws {
        try await writing { db in
            try db.execute(sql: "UPDATE predictions SET digit_actual = ? WHERE id = ?", arguments: [actual, id])
            guard db.changesCount == 1 else { throw StoreError.unknownPrediction(id: id) }
        }
    }

    public func read(_ selection: RecordSelection, filter: LogFilter, limit: Int?, includePayload: Bool) async throws -> LogRead {
        let (whereSQL, arguments) = PredictionRow.whereClause(filter, extra: selection.condition.map { [$0] } ?? [])
        let columns = includePayload ? PredictionRow.columns : PredictionRow.columnsWithoutPayload
        var sql = "SELECT \(columns) FROM predictions\(whereSQL) ORDER BY \(selection.order)"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return try await reading { [sql] db in
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

    public func count(filter: LogFilter) async throws -> Int {
        let (sql, arguments) = PredictionRow.whereClause(filter)
        return try await reading { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions" + sql, arguments: arguments) ?? 0
        }
    }

    public func changeToken() async throws -> Int64 {
        try await reading { db in try Int64.fetchOne(db, sql: "SELECT value FROM log_revision WHERE id = 1") ?? 0 }
    }

    public func aggregate(_ template: String, filter: LogFilter, extra: [String]) async throws -> [AggregateRow] {
        let (whereSQL, arguments) = PredictionRow.whereClause(filter, extra: extra)
        let sql = template.replacingOccurrences(of: "{where}", with: whereSQL)
        return try await reading { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AggregateRow(values: row.databaseValues.map(AggregateRow.value))
            }
        }
    }

    /// Commits every `chunkSize` rows, so other writers get the lock between chunks, pausing
    /// between chunks as long as the last one took.
    public func importChecked(_ records: [PredictionRecord], chunkSize: Int,
                              progress: (@Sendable (Int) -> Void)?) async throws -> (imported: Int, duplicates: Int) {
        let arguments = try records.map(PredictionRow.insertArguments)
        var imported = 0
        var start = 0
        var lastChunk = 0.0
        let size = max(1, chunkSize)
        while start < records.count {
            let end = min(records.count, start + size)
            // Another process waiting for the write lock polls for it every few to 100 ms; an
            // importer that took the lock straight back after each chunk could starve it past its
            // busy timeout. Pausing as long as the chunk took (5-100 ms) leaves the lock free half
            // the time.
            if start > 0 { try await Task.sleep(nanoseconds: UInt64(min(100_000, max(5_000, lastChunk * 1_000_000))) * 1_000) }
            let chunkStarted = Date()
            let range = start..<end
            imported += try await writing { db in
                var added = 0
                let exists = try db.makeStatement(sql: """
                    SELECT 1 FROM predictions
                    WHERE timestamp = ? AND input_type = ? AND digit_predicted = ? AND confidence = ? LIMIT 1
                    """)
                let existsUID = try db.makeStatement(sql: "SELECT 1 FROM predictions WHERE uid = ? LIMIT 1")
                let insert = try db.makeStatement(sql: """
                    INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (\(PredictionRow.insertPlaceholders))
                    """)
                for index in range {
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
            lastChunk = Date().timeIntervalSince(chunkStarted)
            start = end
            progress?(start)
        }
        return (imported, records.count - imported)
    }

    static let upsertSQL = """
        INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (\(PredictionRow.insertPlaceholders))
        ON CONFLICT(uid) DO UPDATE SET
            digit_predicted = excluded.digit_predicted, confidence = excluded.confidence,
            model_version = excluded.model_version, latency_ms = excluded.latency_ms,
            top3 = excluded.top3, input = excluded.input, drawing = excluded.drawing,
            input_type = excluded.input_type
        """
}
