import Foundation
import GRDB
import PostgresNIO

/// `Analytics.report` computed by the database: counts, sums, groups and percentiles as SQL
/// on SQLite or PostgreSQL, so a report over a million predictions reads a few thousand
/// aggregated rows instead of the log, and memory does not grow with it. Gives the same
/// report as `Analytics.report` over the same records (tests compare them), and the same
/// numbers from both backends.
extension PredictionStore {
    /// - Parameter unreadable: what `unreadableRows(filter:)` returned for the same filter, when
    ///   the caller already asked (saves a scan); nil to have it checked here.
    public func report(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5, confusedPairLimit: Int = 10,
                       timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current,
                       unreadable: [LogRead.SkippedRow]? = nil) throws -> AnalyticsReport {
        let threshold = lowConfidenceThreshold.isFinite ? lowConfidenceThreshold : 0.5
        // A log without unreadable rows (the usual case) needs no per-row checks, so ordered
        // reads can walk a covering index instead of the table.
        let clean = try (unreadable ?? unreadableRows(filter: filter, limit: 1)).isEmpty
        func aggregate(_ template: String, filter: LogFilter, extra: [String] = []) throws -> [AggregateRow] {
            try aggregateAll(template, filter: filter, extra: (clean ? [] : readableRowConditions) + extra)
        }
        let typeColumns = InputType.allCases.map { "CAST(COALESCE(SUM(CASE WHEN input_type = '\($0.rawValue)' THEN 1 ELSE 0 END), 0) AS BIGINT)" }
        let digitColumns = (0...9).map { "CAST(COALESCE(SUM(CASE WHEN digit_predicted = '\($0)' THEN 1 ELSE 0 END), 0) AS BIGINT)" }
        let totals = try aggregate("""
            SELECT COUNT(*), COUNT(digit_actual),
                   CAST(COALESCE(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END), 0) AS BIGINT),
                   CAST(SUM(confidence) AS DOUBLE PRECISION),
                   CAST(COALESCE(SUM(CASE WHEN confidence < \(threshold) THEN 1 ELSE 0 END), 0) AS BIGINT),
                   COUNT(latency_ms),
                   CAST(COALESCE(SUM(CASE WHEN length(digit_predicted) <> 1 THEN 1 ELSE 0 END), 0) AS BIGINT),
                   MIN(CASE WHEN digit_actual IS NOT NULL THEN timestamp END),
                   MAX(CASE WHEN digit_actual IS NOT NULL THEN timestamp END),
                   \((typeColumns + digitColumns).joined(separator: ", "))
            FROM predictions {where}
            """, filter: filter).first ?? AggregateRow(values: [])
        let total = totals.int(0), labelled = totals.int(1), correct = totals.int(2)
        let latencyCount = totals.int(5)

        // One scan counts everything with a fixed set of values: totals, input types, digits.
        var byType: [String: Int] = [:]
        for (index, type) in InputType.allCases.enumerated() { byType[type.rawValue] = totals.int(9 + index) }
        var byDevice: [String: Int] = [:]
        for row in try aggregate("SELECT device, COUNT(*) FROM predictions {where} GROUP BY device", filter: filter) {
            byDevice[row.string(0) ?? LogSummary.unknownDevice, default: 0] += row.int(1)
        }
        let digits = (0...9).map { totals.int(9 + InputType.allCases.count + $0) }
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for row in try aggregate("SELECT digit_actual, digit_predicted, COUNT(*) FROM predictions {where} GROUP BY digit_actual, digit_predicted",
                                 filter: filter, extra: ["length(digit_actual) = 1", "length(digit_predicted) = 1"]) {
            if let a = row.string(0).flatMap(Int.init), let p = row.string(1).flatMap(Int.init), (0...9).contains(a), (0...9).contains(p) {
                matrix[a][p] += row.int(2)
            }
        }
        var slots: [(start: Date, labelled: Int, correct: Int)] = []
        for row in try aggregate("""
            SELECT \(slotExpression), COUNT(*), CAST(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END) AS BIGINT)
            FROM predictions {where} GROUP BY 1
            """, filter: filter, extra: ["digit_actual IS NOT NULL"]) {
            slots.append((Date(timeIntervalSince1970: Double(row.int(0)) * Self.slotSeconds), row.int(1), row.int(2)))
        }
        let timeline = Analytics.accuracyOverTime(slots: slots, first: totals.date(7), last: totals.date(8), timeZone: timeZone)

        let readable = clean ? [] : readableRowConditions
        let confidenceP50 = try percentile(50, of: "confidence", count: total, filter: filter, conditions: readable)
        let summary = LogSummary(
            total: total, labelled: labelled, countsByInputType: byType, countsByDevice: byDevice,
            predictedDigitCounts: digits, multiDigitCount: totals.int(6),
            meanConfidence: total > 0 ? totals.double(3).map { $0 / Double(total) } : nil,
            medianConfidence: confidenceP50,
            lowConfidenceThreshold: threshold, lowConfidenceCount: totals.int(4),
            lowConfidenceShare: total > 0 ? Double(totals.int(4)) / Double(total) : nil,
            latencyCount: latencyCount,
            latencyP50Ms: try percentile(50, of: "latency_ms", count: latencyCount, filter: filter, conditions: readable),
            latencyP95Ms: try percentile(95, of: "latency_ms", count: latencyCount, filter: filter, conditions: readable))
        return AnalyticsReport(filter: filter, accuracy: AccuracySummary(labelled: labelled, correct: correct), confusion: matrix,
                               timeline: timeline, summary: summary,
                               mostConfused: Analytics.mostConfusedPairs(matrix: matrix, limit: confusedPairLimit))
    }

    /// Rows the report leaves out because they cannot be read as predictions (an unknown
    /// input type, or on SQLite a value of the wrong type written by hand), at most `limit`,
    /// so a command can name them as `read` would.
    public func unreadableRows(filter: LogFilter = LogFilter(), limit: Int = 100) throws -> [LogRead.SkippedRow] {
        let known = InputType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var problems = ["input_type NOT IN (\(known))"]
        if !isShared { problems += ["typeof(confidence) NOT IN ('real', 'integer')", "typeof(timestamp) <> 'text'"] }
        return try aggregateAll("SELECT id, input_type FROM predictions {where} ORDER BY id LIMIT \(max(0, limit))",
                             filter: filter, extra: ["(" + problems.joined(separator: " OR ") + ")"]).map { row in
            let id = Int64(row.int(0))
            let type = row.string(1) ?? ""
            return InputType(rawValue: type) == nil
                ? .init(id: id, reason: "prediction \(id) has an unknown input type \"\(type)\"")
                : .init(id: id, reason: "prediction \(id) has an unreadable prediction, confidence or timestamp")
        }
    }

    /// What every aggregate leaves out: the rows `unreadableRows` names.
    private var readableRowConditions: [String] {
        let known = InputType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var conditions = ["input_type IN (\(known))"]
        if !isShared { conditions += ["typeof(confidence) IN ('real', 'integer')", "typeof(timestamp) = 'text'"] }
        return conditions
    }

    /// Timeline counts are made per 15-minute UTC slot: every time zone's hours and days are
    /// whole numbers of them.
    static let slotSeconds = 900.0

    private var slotExpression: String {
        isShared ? "CAST(floor(extract(epoch FROM timestamp) / 900) AS BIGINT)"
            : "CAST(strftime('%s', substr(timestamp, 1, 19)) AS BIGINT) / 900"
    }

    /// numpy's linear percentile of `column` (non-NULL values), from the two neighbouring
    /// ranks read in order (an index walk, not a sort in memory).
    private func percentile(_ p: Double, of column: String, count: Int, filter: LogFilter, conditions: [String]) throws -> Double? {
        guard count > 0 else { return nil }
        let rank = p / 100 * Double(count - 1)
        let lower = Int(rank.rounded(.down)), upper = Int(rank.rounded(.up))
        func value(at offset: Int) throws -> Double? {
            try aggregateAll("SELECT \(column) FROM predictions {where} ORDER BY \(column) LIMIT 1 OFFSET \(offset)",
                             filter: filter, extra: conditions + ["\(column) IS NOT NULL"]).first?.double(0)
        }
        guard let low = try value(at: lower) else { return nil }
        let high = upper == lower ? low : (try value(at: upper) ?? low)
        return low + (high - low) * (rank - Double(lower))
    }

    /// Rows of an aggregate query whose `{where}` is replaced by `filter`'s conditions and `extra`.
    private func aggregateAll(_ template: String, filter: LogFilter, extra: [String]) throws -> [AggregateRow] {
        if let postgres {
            let (whereSQL, binds) = PostgresLog.whereClause(filter, extra: extra)
            let sql = template.replacingOccurrences(of: "{where}", with: whereSQL)
            return try postgres.run { c in
                try postgres.query(PostgresQuery(unsafeSQL: sql, binds: binds), on: c).map { row in
                    AggregateRow(values: row.map(AggregateRow.value))
                }
            }
        }
        let (whereSQL, arguments) = PredictionRow.whereClause(filter, extra: extra)
        let sql = template.replacingOccurrences(of: "{where}", with: whereSQL)
        return try guarded {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    AggregateRow(values: row.databaseValues.map(AggregateRow.value))
                }
            }
        }
    }
}

/// One row of an aggregate query, the same from either database.
struct AggregateRow {
    enum Value { case int(Int64), double(Double), text(String), date(Date), null }
    var values: [Value]

    func int(_ i: Int) -> Int {
        switch values.indices.contains(i) ? values[i] : .null {
        case .int(let v): return Int(v)
        case .double(let v): return v.isFinite ? Int(v) : 0
        default: return 0
        }
    }

    func double(_ i: Int) -> Double? {
        switch values.indices.contains(i) ? values[i] : .null {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }

    func string(_ i: Int) -> String? {
        if case .text(let v) = values.indices.contains(i) ? values[i] : .null { return v }
        return nil
    }

    func date(_ i: Int) -> Date? {
        switch values.indices.contains(i) ? values[i] : .null {
        case .date(let v): return UTCTimestamp.truncatedToMilliseconds(v)
        case .text(let v): return UTCTimestamp.parse(v)
        default: return nil
        }
    }

    static func value(_ stored: DatabaseValue) -> Value {
        switch stored.storage {
        case .int64(let v): return .int(v)
        case .double(let v): return .double(v)
        case .string(let v): return .text(v)
        case .null, .blob: return .null
        }
    }

    static func value(_ cell: PostgresCell) -> Value {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2: return (try? cell.decode(Int64.self)).map { .int($0) } ?? .null
        case .float8, .float4: return (try? cell.decode(Double.self)).map { .double($0) } ?? .null
        case .timestamptz, .timestamp: return (try? cell.decode(Date.self)).map { .date($0) } ?? .null
        default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}
