import Foundation
import NumeralVision
import PostgresNIO

/// Predictions and feedback on PostgreSQL, row for row what `SQLitePredictionLog` does on SQLite.
extension PostgresPredictionLog {
    static let columns = """
        id, timestamp, input_type, digit_predicted, confidence, digit_actual,
        model_version, latency_ms, top3, input, drawing, uid, device, client
        """
    static let columnsWithoutPayload = """
        id, timestamp, input_type, digit_predicted, confidence, digit_actual,
        model_version, latency_ms, top3, NULL::bytea AS input, NULL::text AS drawing, uid, device, client
        """
    static let insertColumns = """
        timestamp, input_type, digit_predicted, confidence, digit_actual,
        model_version, latency_ms, top3, input, drawing, uid, device, client
        """
    static let insertPlaceholders = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13"

    /// The bindings of `insertColumns` for `record`, after the same validation as SQLite's.
    static func insertBindings(_ record: PredictionRecord) throws -> PostgresBindings {
        try RecordValidation.validate(record)
        var b = PostgresBindings(capacity: 13)
        try appendInsertBindings(record, to: &b)
        return b
    }

    /// Appends the 13 bindings of `insertColumns` for `record` (already validated) to `b`.
    static func appendInsertBindings(_ record: PredictionRecord, to b: inout PostgresBindings) throws {
        b.append(UTCTimestamp.truncatedToMilliseconds(record.timestamp))
        b.append(record.inputType.rawValue)
        b.append(record.predicted)
        b.append(record.confidence)
        b.append(record.actual)
        b.append(record.modelVersion)
        b.append(record.latencyMs)
        try b.append(try StoreJSON.text(record.top3))
        try b.append(record.input.map { Data($0) })
        b.append(try record.drawing.map(StoreJSON.text))
        b.append(record.uid)
        b.append(record.device)
        b.append(record.client)
    }

    public func insert(_ record: PredictionRecord) async throws -> Int64 {
        let binds = try Self.insertBindings(record)
        return try await pool.withConnection { [pool] c in
            let rows = try await pool.query(PostgresQuery(unsafeSQL: "INSERT INTO predictions (\(Self.insertColumns)) VALUES (\(Self.insertPlaceholders)) RETURNING id",
                                                          binds: binds), on: c)
            return try rows.first.map { try $0[0].decode(Int64.self) } ?? -1
        }
    }

    /// Group commit: every entry in one BEGIN … COMMIT on one connection.
    public func commit(_ entries: [SpoolEntry]) async throws -> [Result<Int64, StoreError>] {
        let queries: [PostgresQuery] = try entries.map { entry in
            switch entry {
            case .upsert(let record):
                return PostgresQuery(unsafeSQL: Self.upsertSQL, binds: try Self.insertBindings(record))
            case .feedback(let uid, let actual):
                return "UPDATE predictions SET digit_actual = \(actual) WHERE uid = \(uid) RETURNING id"
            }
        }
        let timeout = await pool.writeTimeout
        return try await pool.withConnection { [pool] c in
            try await pool.transaction(c, timeout: timeout) {
                var results = [Result<Int64, StoreError>](repeating: .success(-1), count: entries.count)
                for (index, entry) in entries.enumerated() {
                    let rows = try await pool.query(queries[index], on: c, timeout: timeout)
                    switch entry {
                    case .upsert:
                        results[index] = .success(try rows.first.map { try $0[0].decode(Int64.self) } ?? -1)
                    case .feedback(let uid, _):
                        if rows.count != 1 { results[index] = .failure(.unknownRecord(uid: uid)) }
                    }
                }
                return results
            }
        }
    }

    public func updateActual(id: Int64, actual: String?) async throws {
        let changed = try await pool.withConnection { [pool] c in
            try await pool.query("UPDATE predictions SET digit_actual = \(actual) WHERE id = \(id) RETURNING id", on: c).count
        }
        guard changed == 1 else { throw StoreError.unknownPrediction(id: id) }
    }

    public func count(filter: LogFilter) async throws -> Int {
        let (sql, binds) = Self.whereClause(filter)
        return try await pool.withConnection { [pool] c in
            let rows = try await pool.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM predictions" + sql, binds: binds), on: c)
            return Int(try rows.first.map { try $0[0].decode(Int64.self) } ?? 0)
        }
    }

    public func changeToken() async throws -> Int64 {
        try await pool.withConnection { [pool] c in
            // last_value is 1 before the first nextval; is_called says whether it was used.
            let rows = try await pool.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM log_revision", on: c)
            return try rows.first.map { try $0[0].decode(Int64.self) } ?? 0
        }
    }

    public func read(_ selection: RecordSelection, filter: LogFilter, limit: Int?, includePayload: Bool) async throws -> LogRead {
        let (whereSQL, binds) = Self.whereClause(filter, extra: selection.condition.map { [$0] } ?? [])
        var sql = "SELECT \(includePayload ? Self.columns : Self.columnsWithoutPayload) FROM predictions\(whereSQL) ORDER BY \(selection.order)"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return try await pool.withConnection { [pool, sql] c in
            var read = LogRead()
            for row in try await pool.query(PostgresQuery(unsafeSQL: sql, binds: binds), on: c) {
                do {
                    read.records.append(try Self.decode(row))
                } catch let damaged as DamagedRow {
                    read.skipped.append(.init(id: damaged.id, reason: damaged.detail))
                }
            }
            return read
        }
    }

    public func aggregate(_ template: String, filter: LogFilter, extra: [String]) async throws -> [AggregateRow] {
        let (whereSQL, binds) = Self.whereClause(filter, extra: extra)
        let sql = template.replacingOccurrences(of: "{where}", with: whereSQL)
        return try await pool.withConnection { [pool] c in
            try await pool.query(PostgresQuery(unsafeSQL: sql, binds: binds), on: c).map { row in
                AggregateRow(values: row.map(AggregateRow.value))
            }
        }
    }

    /// Rows per INSERT statement of an import: 13 parameters each, well under PostgreSQL's
    /// 65,535 parameters per statement, and few round trips per chunk.
    static let importRowsPerStatement = 500

    /// Each chunk is one transaction of multi-row INSERTs (`ON CONFLICT (uid) DO NOTHING`, and
    /// `NOT EXISTS` for records without a uid), so the database does the duplicate checks in bulk
    /// instead of two round trips per record.
    public func importChecked(_ records: [PredictionRecord], chunkSize: Int,
                              progress: (@Sendable (Int) -> Void)?) async throws -> (imported: Int, duplicates: Int) {
        // A record without a uid that repeats an earlier record of the same import never reaches
        // the database (one statement's NOT EXISTS does not see the rows it inserts itself).
        var seen = Set<RecordKey>()
        let candidates: [Bool] = records.map { record in
            let first = seen.insert(RecordKey(record)).inserted
            return record.uid != nil || first
        }
        var imported = 0
        var start = 0
        while start < records.count {
            let end = min(records.count, start + max(1, chunkSize))
            let rows = (start..<end).filter { candidates[$0] }.map { records[$0] }
            imported += try await pool.withConnection { [pool] c in
                try await pool.transaction(c) {
                    var added = 0
                    var from = 0
                    while from < rows.count {
                        let batch = Array(rows[from..<min(rows.count, from + Self.importRowsPerStatement)])
                        added += try await Self.insertNew(batch, pool: pool, on: c)
                        from += batch.count
                    }
                    return added
                }
            }
            start = end
            progress?(start)
        }
        return (imported, records.count - imported)
    }

    /// Inserts the records of `batch` (validated) that are not logged yet, in one
    /// statement; returns how many were inserted.
    private static func insertNew(_ batch: [PredictionRecord], pool: PostgresConnectionPool,
                                  on connection: PostgresConnection) async throws -> Int {
        guard !batch.isEmpty else { return 0 }
        var binds = PostgresBindings(capacity: batch.count * 13)
        var tuples: [String] = []
        tuples.reserveCapacity(batch.count)
        for record in batch {
            let first = binds.count
            try Self.appendInsertBindings(record, to: &binds)
            // Typed placeholders: a column that is NULL in every row of the batch still has its type.
            tuples.append("(" + Self.importTypes.enumerated().map { "$\(first + $0.offset + 1)::\($0.element)" }.joined(separator: ", ") + ")")
        }
        let sql = """
            WITH added AS (
                INSERT INTO predictions (\(Self.insertColumns))
                SELECT * FROM (VALUES \(tuples.joined(separator: ", "))) AS v(\(Self.insertColumns))
                WHERE v.uid IS NOT NULL OR NOT EXISTS (
                    SELECT 1 FROM predictions p WHERE p.timestamp = v.timestamp AND p.input_type = v.input_type
                    AND p.digit_predicted = v.digit_predicted AND p.confidence = v.confidence)
                ON CONFLICT (uid) DO NOTHING
                RETURNING 1)
            SELECT COUNT(*) FROM added
            """
        let rows = try await pool.query(PostgresQuery(unsafeSQL: sql, binds: binds), on: connection)
        return Int(try rows.first.map { try $0[0].decode(Int64.self) } ?? 0)
    }

    static let upsertSQL = """
        INSERT INTO predictions (\(insertColumns)) VALUES (\(insertPlaceholders))
        ON CONFLICT (uid) DO UPDATE SET
            digit_predicted = excluded.digit_predicted, confidence = excluded.confidence,
            model_version = excluded.model_version, latency_ms = excluded.latency_ms,
            top3 = excluded.top3, input = excluded.input, drawing = excluded.drawing,
            input_type = excluded.input_type
        RETURNING id
        """

    /// PostgreSQL types of `insertColumns`, in order.
    static let importTypes = ["timestamptz", "text", "text", "float8", "text", "text", "float8", "text", "bytea", "text", "text", "text", "text"]

    /// What makes a record without a uid the same as another: time (as stored), type, prediction, confidence.
    private struct RecordKey: Hashable {
        var milliseconds: Int64?, inputType: String, predicted: String, confidence: Double
        init(_ record: PredictionRecord) {
            milliseconds = UTCTimestamp.milliseconds(record.timestamp)
            inputType = record.inputType.rawValue
            predicted = record.predicted
            confidence = record.confidence
        }
    }

    // MARK: - Rows

    static func decode(_ row: PostgresRandomAccessRow) throws -> PredictionRecord {
        let id = (try? row[0].decode(Int64.self)) ?? -1
        func damaged(_ what: String) -> DamagedRow { DamagedRow(id: id, detail: "prediction \(id) has \(what)") }
        guard let timestamp = try? row[1].decode(Date.self) else { throw damaged("an unreadable timestamp") }
        let typeText = (try? row[2].decode(String.self)) ?? ""
        guard let inputType = InputType(rawValue: typeText) else { throw damaged("an unknown input type \"\(typeText)\"") }
        guard let predicted = try? row[3].decode(String.self), let confidence = try? row[4].decode(Double.self) else {
            throw damaged("an unreadable prediction or confidence")
        }
        let top3Text = (try? row[8].decode(String.self)) ?? "[]"
        guard let top3 = try? JSONDecoder().decode([DigitProbability].self, from: Data(top3Text.utf8)) else {
            throw damaged("an unreadable top-3 list")
        }
        var drawing: Drawing?
        if let text = try? row[10].decode(String?.self) {
            guard let decoded = try? JSONDecoder().decode(Drawing.self, from: Data(text.utf8)) else { throw damaged("an unreadable drawing") }
            drawing = decoded
        }
        let input = (try? row[9].decode(Data?.self)) ?? nil
        return PredictionRecord(
            id: id, timestamp: UTCTimestamp.truncatedToMilliseconds(timestamp), inputType: inputType, predicted: predicted,
            confidence: confidence, top3: top3, actual: (try? row[5].decode(String?.self)) ?? nil,
            modelVersion: (try? row[6].decode(String.self)) ?? PredictionRecord.unknownModelVersion,
            latencyMs: (try? row[7].decode(Double?.self)) ?? nil, input: input.map { [UInt8]($0) }, drawing: drawing,
            uid: (try? row[11].decode(String?.self)) ?? nil, device: (try? row[12].decode(String?.self)) ?? nil,
            client: (try? row[13].decode(String?.self)) ?? nil)
    }

    /// `WHERE` clause and bindings selecting what `filter` selects, numbered from $1.
    static func whereClause(_ filter: LogFilter, extra: [String] = []) -> (sql: String, binds: PostgresBindings) {
        var conditions = extra
        var binds = PostgresBindings()
        // Stored times are whole milliseconds: bounds rounded up to whole milliseconds keep
        // `>=` and `<` exactly equivalent to LogFilter.matches, as on SQLite.
        func ceilingMilliseconds(_ date: Date) -> Date? {
            let ms = (date.timeIntervalSince1970 * 1000).rounded(.up)
            guard ms.isFinite else { return nil }
            return Date(timeIntervalSince1970: min(max(ms, -62_167_219_200_000), 253_402_300_799_999) / 1000)
        }
        if let from = filter.from, let bound = ceilingMilliseconds(from) {
            binds.append(bound)
            conditions.append("timestamp >= $\(binds.count)")
        }
        if let to = filter.to, let bound = ceilingMilliseconds(to) {
            binds.append(bound)
            conditions.append("timestamp < $\(binds.count)")
        }
        if let type = filter.inputType {
            binds.append(type.rawValue)
            conditions.append("input_type = $\(binds.count)")
        }
        if let device = filter.device {
            binds.append(device)
            conditions.append("device = $\(binds.count)")
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), binds)
    }
}
