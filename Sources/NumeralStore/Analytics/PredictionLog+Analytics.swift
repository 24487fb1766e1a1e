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

    /// From the roll-up tables (`RollupSchema`) for the whole UTC days the filter covers, and
    /// from the log itself for what is left: the filter's first and last part days, or a
    /// filter shorter than that, or a log with unreadable rows, or a low-confidence threshold
    /// other than the one the roll-ups count. Percentiles are read exactly along their indexes
    /// up to `exactPercentileLimit` rows, and from the histograms beyond (within 0.005 of
    /// confidence and 1 % of latency). `NUMERAL_ANALYTICS=scan`
    /// reads the log alone, to check the roll-ups or time them against it.
    func computeReport(filter: LogFilter, lowConfidenceThreshold: Double, confusedPairLimit: Int, timeZone: TimeZone,
                       clean known: Bool?, exactPercentileLimit: Int = PredictionStore.exactPercentileLimit,
                       useRollups: Bool = ProcessInfo.processInfo.environment["NUMERAL_ANALYTICS"] != "scan") async throws -> (report: AnalyticsReport, clean: Bool) {
        let threshold = lowConfidenceThreshold.isFinite ? lowConfidenceThreshold : 0.5
        // A log without unreadable rows (the usual case) needs no per-row checks. Values of the
        // wrong type show at the ends of their indexes; an unknown input type shows in the groups.
        var clean: Bool
        if let known { clean = known } else { clean = !(try await hasMistypedValues()) }
        if useRollups, clean, threshold == RollupExpressions.lowConfidence, let plan = RollupPlan(filter) {
            let rolled = try await rollupOutcomes(plan)
            if !rolled.unknownInputTypes {
                var outcomes = rolled
                for edge in plan.edges { outcomes.add(try await outcomeTotals(filter: edge, threshold: threshold, conditions: [])) }
                if !outcomes.unknownInputTypes {
                    let slots = try await rollupSlots(plan) + plan.edges.asyncFlatMap { try await self.labelledSlots(filter: $0, conditions: []) }
                    let timeline = try await timeline(slots: slots, filter: filter, conditions: [], timeZone: timeZone)
                    let percentiles: Percentiles = outcomes.total <= exactPercentileLimit
                        ? try await exactPercentiles(outcomes, filter: filter, conditions: [])
                        : try await histogramPercentiles(outcomes, plan: plan)
                    return (makeReport(filter: filter, outcomes: outcomes, timeline: timeline, percentiles: percentiles,
                                       threshold: threshold, confusedPairLimit: confusedPairLimit), true)
                }
            }
            clean = false
        }
        // Two scans of the log, each an ordered walk of a covering index on SQLite (no sort, no
        // table read) and a hash aggregate on PostgreSQL: the outcome groups (device × input
        // type × actual × predicted: totals, types, devices, digits, the confusion matrix) and
        // the labelled rows' 15-minute slots (the timeline); then the percentiles, read along
        // their indexes.
        var outcomes = try await outcomeTotals(filter: filter, threshold: threshold, conditions: clean ? [] : readableRowConditions)
        if clean && outcomes.unknownInputTypes {
            clean = false
            outcomes = try await outcomeTotals(filter: filter, threshold: threshold, conditions: readableRowConditions)
        }
        let readable = clean ? [] : readableRowConditions
        let slots = try await labelledSlots(filter: filter, conditions: readable)
        let timeline = try await timeline(slots: slots, filter: filter, conditions: readable, timeZone: timeZone)
        let percentiles = try await exactPercentiles(outcomes, filter: filter, conditions: readable)
        return (makeReport(filter: filter, outcomes: outcomes, timeline: timeline, percentiles: percentiles,
                           threshold: threshold, confusedPairLimit: confusedPairLimit), clean)
    }

    private func makeReport(filter: LogFilter, outcomes: OutcomeTotals, timeline: AccuracyTimeline, percentiles: Percentiles,
                            threshold: Double, confusedPairLimit: Int) -> AnalyticsReport {
        let total = outcomes.total
        let summary = LogSummary(
            total: total, labelled: outcomes.labelled, countsByInputType: outcomes.byType, countsByDevice: outcomes.byDevice,
            predictedDigitCounts: outcomes.digits, multiDigitCount: outcomes.multiDigit,
            meanConfidence: total > 0 ? outcomes.confidenceSum / Double(total) : nil,
            medianConfidence: percentiles.medianConfidence,
            lowConfidenceThreshold: threshold, lowConfidenceCount: outcomes.lowConfidence,
            lowConfidenceShare: total > 0 ? Double(outcomes.lowConfidence) / Double(total) : nil,
            latencyCount: outcomes.latencyCount, latencyP50Ms: percentiles.latencyP50, latencyP95Ms: percentiles.latencyP95)
        return AnalyticsReport(filter: filter, accuracy: AccuracySummary(labelled: outcomes.labelled, correct: outcomes.correct),
                               confusion: outcomes.matrix, timeline: timeline, summary: summary,
                               mostConfused: Analytics.mostConfusedPairs(matrix: outcomes.matrix, limit: confusedPairLimit),
                               mostConfusedCharacters: CharacterConfusion.ranked(outcomes.characterPairs, limit: confusedPairLimit))
    }

    private func exactPercentiles(_ outcomes: OutcomeTotals, filter: LogFilter, conditions: [String]) async throws -> Percentiles {
        Percentiles(
            medianConfidence: try await percentile(50, of: "confidence", count: outcomes.total, filter: filter, conditions: conditions),
            latencyP50: try await percentile(50, of: "latency_ms", count: outcomes.latencyCount, filter: filter, conditions: conditions),
            latencyP95: try await percentile(95, of: "latency_ms", count: outcomes.latencyCount, filter: filter, conditions: conditions))
    }

    /// One row per device, input type, actual and predicted value (grouped as the dialect says),
    /// folded into the report's counts.
    func outcomeTotals(filter: LogFilter, threshold: Double, conditions: [String]) async throws -> OutcomeTotals {
        var totals = OutcomeTotals()
        let rows = try await aggregate("""
            SELECT device, input_type, \(dialect.outcomeActual), \(dialect.outcomePredicted), COUNT(*), COUNT(digit_actual),
                   \(dialect.outcomeCorrect), CAST(SUM(confidence) AS DOUBLE PRECISION),
                   CAST(SUM(CASE WHEN confidence < \(threshold) THEN 1 ELSE 0 END) AS BIGINT), COUNT(latency_ms)
            FROM predictions {where} GROUP BY device, input_type, \(dialect.outcomeGroups)
            """, filter: filter, extra: conditions)
        for row in rows { totals.add(row) }
        return totals
    }

    /// The labelled rows' 15-minute slots: start, labelled and correct counts.
    func labelledSlots(filter: LogFilter, conditions: [String]) async throws -> [(start: Date, labelled: Int, correct: Int)] {
        let labelled = conditions + ["digit_actual IS NOT NULL"]
        let correct = "CAST(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END) AS BIGINT)"
        return try await aggregate("SELECT \(dialect.slotColumns), COUNT(*), \(correct) FROM predictions {where} GROUP BY \(dialect.slotGroups)",
                                   filter: filter, extra: labelled).compactMap(dialect.slotRow)
    }

    /// Accuracy over time from the labelled rows' 15-minute slots, and the first and last
    /// labelled times (read within the first and last slot only).
    private func timeline(slots: [(start: Date, labelled: Int, correct: Int)], filter: LogFilter, conditions: [String],
                          timeZone: TimeZone) async throws -> AccuracyTimeline {
        let labelled = conditions + ["digit_actual IS NOT NULL"]
        func time(_ aggregate: String, inSlotAt start: Date?) async throws -> Date? {
            guard let start else { return nil }
            guard let range = dialect.timeRange(start, start.addingTimeInterval(PredictionStore.slotSeconds)) else { return start }
            return try await self.aggregate("SELECT \(aggregate)(timestamp) FROM predictions {where}", filter: filter,
                                            extra: labelled + range).first?.date(0) ?? start
        }
        let used = slots.filter { $0.labelled > 0 }
        let first = try await time("MIN", inSlotAt: used.map(\.start).min())
        let last = try await time("MAX", inSlotAt: used.map(\.start).max())
        return Analytics.accuracyOverTime(slots: used, first: first, last: last, timeZone: timeZone)
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
struct OutcomeTotals {
    var total = 0, labelled = 0, correct = 0, lowConfidence = 0, latencyCount = 0, multiDigit = 0
    var confidenceSum = 0.0
    var byType: [String: Int] = Dictionary(uniqueKeysWithValues: InputType.allCases.map { ($0.rawValue, 0) })
    var byDevice: [String: Int] = [:]
    var digits = [Int](repeating: 0, count: 10)
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    /// Letter confusions of single characters, keyed by actual and predicted character.
    var characterPairs: [String: Int] = [:]
    var unknownInputTypes = false

    private static let knownTypes = Set(InputType.allCases.map(\.rawValue))

    /// Adds one outcome group: device, input type, actual, predicted, count, labelled, correct,
    /// confidence sum, low-confidence count, latency count (NULL device and actual for none).
    mutating func add(_ row: AggregateRow) {
        let count = row.int(4)
        guard count != 0 else { return }
        total += count
        labelled += row.int(5)
        correct += row.int(6)
        confidenceSum += row.double(7) ?? 0
        lowConfidence += row.int(8)
        latencyCount += row.int(9)
        byDevice[row.string(0) ?? LogSummary.unknownDevice, default: 0] += count
        let type = row.string(1) ?? ""
        if Self.knownTypes.contains(type) { byType[type, default: 0] += count } else { unknownInputTypes = true }
        let p = row.string(3) ?? ""
        guard p.unicodeScalars.count == 1 else { multiDigit += count; return }
        if let a = row.string(2), CharacterConfusion.isLetterConfusion(actual: a, predicted: p) {
            characterPairs[a + p, default: 0] += count
        }
        guard let pd = Int(p), (0...9).contains(pd) else { return }
        digits[pd] += count
        if let a = row.string(2), a.unicodeScalars.count == 1, let ad = Int(a), (0...9).contains(ad) { matrix[ad][pd] += count }
    }

    mutating func add(_ other: OutcomeTotals) {
        total += other.total; labelled += other.labelled; correct += other.correct
        lowConfidence += other.lowConfidence; latencyCount += other.latencyCount; multiDigit += other.multiDigit
        confidenceSum += other.confidenceSum
        for (k, v) in other.byType { byType[k, default: 0] += v }
        for (k, v) in other.byDevice { byDevice[k, default: 0] += v }
        for (k, v) in other.characterPairs { characterPairs[k, default: 0] += v }
        for d in 0..<10 {
            digits[d] += other.digits[d]
            for p in 0..<10 { matrix[d][p] += other.matrix[d][p] }
        }
        unknownInputTypes = unknownInputTypes || other.unknownInputTypes
    }
}

/// The report's percentiles.
struct Percentiles {
    var medianConfidence: Double?, latencyP50: Double?, latencyP95: Double?
}

extension Array {
    func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result += try await transform(element) }
        return result
    }
}
