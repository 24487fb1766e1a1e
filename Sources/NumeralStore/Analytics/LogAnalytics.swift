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
    ///   the caller already asked; nil to have it found out here (without a scan of the log when
    ///   the log has none, the usual case).
    public func report(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5, confusedPairLimit: Int = 10,
                       timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current,
                       unreadable: [LogRead.SkippedRow]? = nil) throws -> AnalyticsReport {
        try computeReport(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold, confusedPairLimit: confusedPairLimit,
                          timeZone: timeZone, clean: unreadable.map(\.isEmpty)).report
    }

    /// `report`, and the rows it left out because they cannot be read (at most `limit`, named as
    /// `unreadableRows` names them). Looks for them row by row only when the report's own scan
    /// showed there are some, so a clean log costs no extra scan.
    public func reportNamingUnreadable(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5,
                                       limit: Int = 100) throws -> (report: AnalyticsReport, unreadable: [LogRead.SkippedRow]) {
        let (report, clean) = try computeReport(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold, confusedPairLimit: 10,
                                                timeZone: TimeZone(secondsFromGMT: 0) ?? .current, clean: nil)
        return (report, clean ? [] : try unreadableRows(filter: filter, limit: limit))
    }

    /// Two scans, each an ordered walk of a covering index on SQLite (no sort, no table read) and a
    /// hash aggregate on PostgreSQL: the outcome groups (device × input type × actual × predicted:
    /// totals, types, devices, digits, the confusion matrix) and the labelled rows' 15-minute slots
    /// (the timeline); then the percentiles, read along their indexes.
    private func computeReport(filter: LogFilter, lowConfidenceThreshold: Double, confusedPairLimit: Int, timeZone: TimeZone,
                               clean known: Bool?) throws -> (report: AnalyticsReport, clean: Bool) {
        let threshold = lowConfidenceThreshold.isFinite ? lowConfidenceThreshold : 0.5
        // A log without unreadable rows (the usual case) needs no per-row checks. Values of the
        // wrong type show at the ends of their indexes; an unknown input type shows in the groups.
        var clean = try known ?? !hasMistypedValues()
        var outcomes = try outcomeTotals(filter: filter, threshold: threshold, conditions: clean ? [] : readableRowConditions)
        if clean && outcomes.unknownInputTypes {
            clean = false
            outcomes = try outcomeTotals(filter: filter, threshold: threshold, conditions: readableRowConditions)
        }
        let readable = clean ? [] : readableRowConditions
        let timeline = try labelledSlots(filter: filter, conditions: readable, timeZone: timeZone)
        let total = outcomes.total
        let summary = LogSummary(
            total: total, labelled: outcomes.labelled, countsByInputType: outcomes.byType, countsByDevice: outcomes.byDevice,
            predictedDigitCounts: outcomes.digits, multiDigitCount: outcomes.multiDigit,
            meanConfidence: total > 0 ? outcomes.confidenceSum / Double(total) : nil,
            medianConfidence: try percentile(50, of: "confidence", count: total, filter: filter, conditions: readable),
            lowConfidenceThreshold: threshold, lowConfidenceCount: outcomes.lowConfidence,
            lowConfidenceShare: total > 0 ? Double(outcomes.lowConfidence) / Double(total) : nil,
            latencyCount: outcomes.latencyCount,
            latencyP50Ms: try percentile(50, of: "latency_ms", count: outcomes.latencyCount, filter: filter, conditions: readable),
            latencyP95Ms: try percentile(95, of: "latency_ms", count: outcomes.latencyCount, filter: filter, conditions: readable))
        let report = AnalyticsReport(filter: filter, accuracy: AccuracySummary(labelled: outcomes.labelled, correct: outcomes.correct),
                                     confusion: outcomes.matrix, timeline: timeline, summary: summary,
                                     mostConfused: Analytics.mostConfusedPairs(matrix: outcomes.matrix, limit: confusedPairLimit))
        return (report, clean)
    }

    /// What the outcome groups add up to.
    private struct OutcomeTotals {
        var total = 0, labelled = 0, correct = 0, lowConfidence = 0, latencyCount = 0, multiDigit = 0
        var confidenceSum = 0.0
        var byType: [String: Int] = Dictionary(uniqueKeysWithValues: InputType.allCases.map { ($0.rawValue, 0) })
        var byDevice: [String: Int] = [:]
        var digits = [Int](repeating: 0, count: 10)
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        var unknownInputTypes = false
    }

    /// One row per device, input type, actual and predicted value: SQLite groups by the columns
    /// themselves (its covering index `predictions_by_outcome` is in that order) and the rows are
    /// folded as they come; PostgreSQL puts numbers of several digits in one bucket, "**", so
    /// the rows stay few whatever the log holds.
    private func outcomeTotals(filter: LogFilter, threshold: Double, conditions: [String]) throws -> OutcomeTotals {
        let (actual, predicted, correct) = isShared
            ? ("CASE WHEN length(digit_actual) = 1 THEN digit_actual WHEN digit_actual IS NOT NULL THEN '**' END",
               "CASE WHEN length(digit_predicted) = 1 THEN digit_predicted ELSE '**' END",
               "CAST(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END) AS BIGINT)")
            : ("digit_actual", "digit_predicted", "CASE WHEN digit_actual = digit_predicted THEN COUNT(*) ELSE 0 END")
        var totals = OutcomeTotals()
        let known = Set(InputType.allCases.map(\.rawValue))
        try aggregateEach("""
            SELECT device, input_type, \(actual), \(predicted), COUNT(*), COUNT(digit_actual), \(correct),
                   CAST(SUM(confidence) AS DOUBLE PRECISION),
                   CAST(SUM(CASE WHEN confidence < \(threshold) THEN 1 ELSE 0 END) AS BIGINT), COUNT(latency_ms)
            FROM predictions {where} GROUP BY device, input_type, \(isShared ? "3, 4" : "digit_actual, digit_predicted")
            """, filter: filter, extra: conditions) { row in
            let count = row.int(4)
            totals.total += count
            totals.labelled += row.int(5)
            totals.correct += row.int(6)
            totals.confidenceSum += row.double(7) ?? 0
            totals.lowConfidence += row.int(8)
            totals.latencyCount += row.int(9)
            totals.byDevice[row.string(0) ?? LogSummary.unknownDevice, default: 0] += count
            let type = row.string(1) ?? ""
            if known.contains(type) { totals.byType[type, default: 0] += count } else { totals.unknownInputTypes = true }
            let p = row.string(3) ?? ""
            guard p.unicodeScalars.count == 1 else { totals.multiDigit += count; return }
            guard let pd = Int(p), (0...9).contains(pd) else { return }
            totals.digits[pd] += count
            if let a = row.string(2), a.unicodeScalars.count == 1, let ad = Int(a), (0...9).contains(ad) { totals.matrix[ad][pd] += count }
        }
        return totals
    }

    /// Accuracy over time from the labelled rows' 15-minute slots, and the first and last
    /// labelled times (read within the first and last slot only).
    private func labelledSlots(filter: LogFilter, conditions: [String], timeZone: TimeZone) throws -> AccuracyTimeline {
        var slots: [(start: Date, labelled: Int, correct: Int)] = []
        let labelled = conditions + ["digit_actual IS NOT NULL"]
        let correct = "CAST(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END) AS BIGINT)"
        // SQLite: the slot as text (the hour, "2025-03-01T13:", and the quarter), the key of the
        // partial index `predictions_by_labelled_slot`, which it walks in order.
        let shared = isShared
        let slot = shared ? "CAST(floor(date_part('epoch', timestamp) / 900) AS BIGINT)"
            : "substr(timestamp, 1, 14), CAST(substr(timestamp, 15, 2) AS INTEGER) / 15"
        try aggregateEach("SELECT \(slot), COUNT(*), \(correct) FROM predictions {where} GROUP BY \(shared ? "1" : "1, 2")",
                          filter: filter, extra: labelled) { row in
            if shared {
                slots.append((Date(timeIntervalSince1970: Double(row.int(0)) * Self.slotSeconds), row.int(1), row.int(2)))
            } else if let hour = row.string(0), let start = UTCTimestamp.parse(hour + String(format: "%02d:00.000Z", row.int(1) * 15)) {
                slots.append((start, row.int(2), row.int(3)))
            }
        }
        func time(_ aggregate: String, inSlotAt start: Date?) throws -> Date? {
            guard let start else { return nil }
            let end = start.addingTimeInterval(Self.slotSeconds)
            let range: [String]
            if shared {
                range = ["timestamp >= to_timestamp(\(Int64(start.timeIntervalSince1970)))", "timestamp < to_timestamp(\(Int64(end.timeIntervalSince1970)))"]
            } else {
                guard let from = UTCTimestamp.format(start), let to = UTCTimestamp.format(end) else { return start }
                range = ["timestamp >= '\(from)'", "timestamp < '\(to)'"]
            }
            return try aggregateAll("SELECT \(aggregate)(timestamp) FROM predictions {where}", filter: filter,
                                    extra: labelled + range).first?.date(0) ?? start
        }
        let first = try time("MIN", inSlotAt: slots.map(\.start).min())
        let last = try time("MAX", inSlotAt: slots.map(\.start).max())
        return Analytics.accuracyOverTime(slots: slots, first: first, last: last, timeZone: timeZone)
    }

    /// Whether any stored confidence or time has a type it should not (SQLite keeps what it is
    /// given): such values sort after every number, or outside the text, at their indexes' ends.
    private func hasMistypedValues() throws -> Bool {
        guard !isShared else { return false }
        let row = try aggregateAll("""
            SELECT (SELECT typeof(confidence) FROM predictions ORDER BY confidence DESC LIMIT 1),
                   (SELECT typeof(timestamp) FROM predictions ORDER BY timestamp LIMIT 1),
                   (SELECT typeof(timestamp) FROM predictions ORDER BY timestamp DESC LIMIT 1)
            """, filter: LogFilter(), extra: []).first
        let allowed: [Set<String?>] = [[nil, "real", "integer"], [nil, "text"], [nil, "text"]]
        return (0..<3).contains { !allowed[$0].contains(row?.string($0)) }
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

    /// numpy's linear percentile of `column` (non-NULL values), from the two neighbouring
    /// ranks read in order (an index walk, not a sort in memory).
    private func percentile(_ p: Double, of column: String, count: Int, filter: LogFilter, conditions: [String]) throws -> Double? {
        guard count > 0 else { return nil }
        let rank = p / 100 * Double(count - 1)
        let lower = Int(rank.rounded(.down)), upper = Int(rank.rounded(.up))
        // Both neighbours in one walk.
        let values = try aggregateAll("SELECT \(column) FROM predictions {where} ORDER BY \(column) LIMIT \(upper - lower + 1) OFFSET \(lower)",
                                      filter: filter, extra: conditions + ["\(column) IS NOT NULL"])
        guard let low = values.first?.double(0) else { return nil }
        let high = upper == lower ? low : (values.dropFirst().first?.double(0) ?? low)
        return low + (high - low) * (rank - Double(lower))
    }

    /// Each row of an aggregate query, as it comes (SQLite: from a cursor, never all at once).
    private func aggregateEach(_ template: String, filter: LogFilter, extra: [String], _ body: (AggregateRow) throws -> Void) throws {
        if postgres != nil {
            for row in try aggregateAll(template, filter: filter, extra: extra) { try body(row) }
            return
        }
        let (whereSQL, arguments) = PredictionRow.whereClause(filter, extra: extra)
        let sql = template.replacingOccurrences(of: "{where}", with: whereSQL)
        try guarded {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() { try body(AggregateRow(values: row.databaseValues.map(AggregateRow.value))) }
            }
        }
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
