import Foundation

/// `Analytics.report` computed by the database: counts, sums, groups and percentiles as SQL
/// on SQLite or PostgreSQL, so a report over a million predictions reads a few thousand
/// aggregated rows instead of the log, and memory does not grow with it. Written once for
/// every backend, in the backend's `AnalyticsDialect`; gives the same report as
/// `Analytics.report` over the same records (tests compare them), and the same numbers from
/// both backends.
extension PredictionLog {
    /// - Parameter unreadable: what `unreadableRows(filter:)` returned for the same filter, when
    ///   the caller already asked; nil to have it found out here (without a scan of the log when
    ///   the log has none, the usual case).
    public func report(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5, confusedPairLimit: Int = 10,
                       timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current,
                       unreadable: [LogRead.SkippedRow]? = nil) async throws -> AnalyticsReport {
        try await computeReport(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold, confusedPairLimit: confusedPairLimit,
                                timeZone: timeZone, clean: unreadable.map(\.isEmpty)).report
    }

    /// `report`, and the rows it left out because they cannot be read (at most `limit`, named as
    /// `unreadableRows` names them). Looks for them row by row only when the report's own scan
    /// showed there are some, so a clean log costs no extra scan.
    public func reportNamingUnreadable(filter: LogFilter = LogFilter(), lowConfidenceThreshold: Double = 0.5,
                                       limit: Int = 100) async throws -> (report: AnalyticsReport, unreadable: [LogRead.SkippedRow]) {
        let (report, clean) = try await computeReport(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold, confusedPairLimit: 10,
                                                      timeZone: TimeZone(secondsFromGMT: 0) ?? .current, clean: nil)
        return (report, clean ? [] : try await unreadableRows(filter: filter, limit: limit))
    }

    /// Two scans, each an ordered walk of a covering index on SQLite (no sort, no table read) and a
    /// hash aggregate on PostgreSQL: the outcome groups (device × input type × actual × predicted:
    /// totals, types, devices, digits, the confusion matrix) and the labelled rows' 15-minute slots
    /// (the timeline); then the percentiles, read along their indexes.
    private func computeReport(filter: LogFilter, lowConfidenceThreshold: Double, confusedPairLimit: Int, timeZone: TimeZone,
                               clean known: Bool?) async throws -> (report: AnalyticsReport, clean: Bool) {
        let threshold = lowConfidenceThreshold.isFinite ? lowConfidenceThreshold : 0.5
        // A log without unreadable rows (the usual case) needs no per-row checks. Values of the
        // wrong type show at the ends of their indexes; an unknown input type shows in the groups.
        var clean: Bool
        if let known { clean = known } else { clean = !(try await hasMistypedValues()) }
        var outcomes = try await outcomeTotals(filter: filter, threshold: threshold, conditions: clean ? [] : readableRowConditions)
        if clean && outcomes.unknownInputTypes {
            clean = false
            outcomes = try await outcomeTotals(filter: filter, threshold: threshold, conditions: readableRowConditions)
        }
        let readable = clean ? [] : readableRowConditions
        let timeline = try await labelledSlots(filter: filter, conditions: readable, timeZone: timeZone)
        let total = outcomes.total
        let summary = LogSummary(
            total: total, labelled: outcomes.labelled, countsByInputType: outcomes.byType, countsByDevice: outcomes.byDevice,
            predictedDigitCounts: outcomes.digits, multiDigitCount: outcomes.multiDigit,
            meanConfidence: total > 0 ? outcomes.confidenceSum / Double(total) : nil,
            medianConfidence: try await percentile(50, of: "confidence", count: total, filter: filter, conditions: readable),
            lowConfidenceThreshold: threshold, lowConfidenceCount: outcomes.lowConfidence,
            lowConfidenceShare: total > 0 ? Double(outcomes.lowConfidence) / Double(total) : nil,
            latencyCount: outcomes.latencyCount,
            latencyP50Ms: try await percentile(50, of: "latency_ms", count: outcomes.latencyCount, filter: filter, conditions: readable),
            latencyP95Ms: try await percentile(95, of: "latency_ms", count: outcomes.latencyCount, filter: filter, conditions: readable))
        let report = AnalyticsReport(filter: filter, accuracy: AccuracySummary(labelled: outcomes.labelled, correct: outcomes.correct),
                                     confusion: outcomes.matrix, timeline: timeline, summary: summary,
                                     mostConfused: Analytics.mostConfusedPairs(matrix: outcomes.matrix, limit: confusedPairLimit))
        return (report, clean)
    }

    /// One row per device, input type, actual and predicted value (grouped as the dialect says),
    /// folded into the report's counts.
    private func outcomeTotals(filter: LogFilter, threshold: Double, conditions: [String]) async throws -> OutcomeTotals {
        var totals = OutcomeTotals()
        let known = Set(InputType.allCases.map(\.rawValue))
        let rows = try await aggregate("""
            SELECT device, input_type, \(dialect.outcomeActual), \(dialect.outcomePredicted), COUNT(*), COUNT(digit_actual),
                   \(dialect.outcomeCorrect), CAST(SUM(confidence) AS DOUBLE PRECISION),
                   CAST(SUM(CASE WHEN confidence < \(threshold) THEN 1 ELSE 0 END) AS BIGINT), COUNT(latency_ms)
            FROM predictions {where} GROUP BY device, input_type, \(dialect.outcomeGroups)
            """, filter: filter, extra: conditions)
        for row in rows {
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
            guard p.unicodeScalars.count == 1 else { totals.multiDigit += count; continue }
            guard let pd = Int(p), (0...9).contains(pd) else { continue }
            totals.digits[pd] += count
            if let a = row.string(2), a.unicodeScalars.count == 1, let ad = Int(a), (0...9).contains(ad) { totals.matrix[ad][pd] += count }
        }
        return totals
    }

    /// Accuracy over time from the labelled rows' 15-minute slots, and the first and last
    /// labelled times (read within the first and last slot only).
    private func labelledSlots(filter: LogFilter, conditions: [String], timeZone: TimeZone) async throws -> AccuracyTimeline {
        let labelled = conditions + ["digit_actual IS NOT NULL"]
        let correct = "CAST(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END) AS BIGINT)"
        let slots = try await aggregate("SELECT \(dialect.slotColumns), COUNT(*), \(correct) FROM predictions {where} GROUP BY \(dialect.slotGroups)",
                                        filter: filter, extra: labelled).compactMap(dialect.slotRow)
        func time(_ aggregate: String, inSlotAt start: Date?) async throws -> Date? {
            guard let start else { return nil }
            guard let range = dialect.timeRange(start, start.addingTimeInterval(PredictionStore.slotSeconds)) else { return start }
            return try await self.aggregate("SELECT \(aggregate)(timestamp) FROM predictions {where}", filter: filter,
                                            extra: labelled + range).first?.date(0) ?? start
        }
        let first = try await time("MIN", inSlotAt: slots.map(\.start).min())
        let last = try await time("MAX", inSlotAt: slots.map(\.start).max())
        return Analytics.accuracyOverTime(slots: slots, first: first, last: last, timeZone: timeZone)
    }

    /// Whether any stored confidence or time has a type it should not (only where the database
    /// keeps what it is given): such values sit at their indexes' ends.
    private func hasMistypedValues() async throws -> Bool {
        guard let query = dialect.mistypedValuesQuery else { return false }
        let row = try await aggregate(query, filter: LogFilter(), extra: []).first
        let allowed: [Set<String?>] = [[nil, "real", "integer"], [nil, "text"], [nil, "text"]]
        return (0..<3).contains { !allowed[$0].contains(row?.string($0)) }
    }

    /// Rows the report leaves out because they cannot be read as predictions (an unknown
    /// input type, or on SQLite a value of the wrong type written by hand), at most `limit`,
    /// so a command can name them as `read` would.
    public func unreadableRows(filter: LogFilter = LogFilter(), limit: Int = 100) async throws -> [LogRead.SkippedRow] {
        let known = InputType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let problems = ["input_type NOT IN (\(known))"] + dialect.mistypedConditions
        return try await aggregate("SELECT id, input_type FROM predictions {where} ORDER BY id LIMIT \(max(0, limit))",
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
        return ["input_type IN (\(known))"] + dialect.typedConditions
    }

    /// numpy's linear percentile of `column` (non-NULL values), from the two neighbouring
    /// ranks read in order (an index walk, not a sort in memory).
    private func percentile(_ p: Double, of column: String, count: Int, filter: LogFilter, conditions: [String]) async throws -> Double? {
        guard count > 0 else { return nil }
        let rank = p / 100 * Double(count - 1)
        let lower = Int(rank.rounded(.down)), upper = Int(rank.rounded(.up))
        // Both neighbours in one walk.
        let values = try await aggregate("SELECT \(column) FROM predictions {where} ORDER BY \(column) LIMIT \(upper - lower + 1) OFFSET \(lower)",
                                         filter: filter, extra: conditions + ["\(column) IS NOT NULL"])
        guard let low = values.first?.double(0) else { return nil }
        let high = upper == lower ? low : (values.dropFirst().first?.double(0) ?? low)
        return low + (high - low) * (rank - Double(lower))
    }
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
