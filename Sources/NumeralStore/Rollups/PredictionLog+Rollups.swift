import Foundation

/// The report's parts read from the roll-up tables (`RollupSchema`) for a plan's whole days.
extension PredictionLog {
    /// The outcome groups of the whole days, as `outcomeTotals` gives them from the log.
    func rollupOutcomes(_ plan: RollupPlan) async throws -> OutcomeTotals {
        var totals = OutcomeTotals()
        let rows = try await aggregate("""
            SELECT NULLIF(device, ''), input_type, NULLIF(actual, ''), predicted, CAST(SUM(count) AS BIGINT),
                   CAST(SUM(CASE WHEN actual <> '' THEN count ELSE 0 END) AS BIGINT), CAST(SUM(correct) AS BIGINT),
                   CAST(SUM(confidence_sum) AS DOUBLE PRECISION), CAST(SUM(low_confidence) AS BIGINT), CAST(SUM(latency_count) AS BIGINT)
            FROM rollup_outcomes {where} GROUP BY device, input_type, actual, predicted
            """, filter: plan.scope, extra: plan.conditions("day"))
        for row in rows { totals.add(row) }
        return totals
    }

    /// The labelled and correct counts of the whole days' 15-minute slots.
    func rollupSlots(_ plan: RollupPlan) async throws -> [(start: Date, labelled: Int, correct: Int)] {
        let perDay = RollupExpressions.daySeconds / RollupExpressions.slotSeconds
        return try await aggregate("""
            SELECT slot, CAST(SUM(labelled) AS BIGINT), CAST(SUM(correct) AS BIGINT) FROM rollup_slots {where} GROUP BY slot
            """, filter: plan.scope, extra: plan.conditions("slot", perDay: perDay)).map { row in
            (Date(timeIntervalSince1970: Double(row.int(0)) * Double(RollupExpressions.slotSeconds)), row.int(1), row.int(2))
        }
    }

    /// The percentiles from the histograms of the whole days and of the log's edges.
    func histogramPercentiles(_ outcomes: OutcomeTotals, plan: RollupPlan) async throws -> Percentiles {
        let expressions = RollupExpressions(backend: dialect.backend)
        func histogram(_ measure: String, column: String, bin: String) async throws -> [Int: Int] {
            var counts: [Int: Int] = [:]
            let rolled = try await aggregate("""
                SELECT bin, CAST(SUM(count) AS BIGINT) FROM rollup_histograms {where} GROUP BY bin
                """, filter: plan.scope, extra: plan.conditions("day") + ["measure = '\(measure)'"])
            for row in rolled { counts[row.int(0), default: 0] += row.int(1) }
            for edge in plan.edges {
                let raw = try await aggregate("SELECT \(bin), COUNT(*) FROM predictions {where} GROUP BY 1",
                                              filter: edge, extra: ["\(column) IS NOT NULL"])
                for row in raw { counts[row.int(0), default: 0] += row.int(1) }
            }
            return counts
        }
        let confidence = try await histogram("confidence", column: "confidence", bin: expressions.confidenceBin("confidence"))
        let latency = try await histogram("latency", column: "latency_ms", bin: expressions.latencyBin("latency_ms"))
        return Percentiles(
            medianConfidence: Self.percentile(50, of: confidence, value: RollupExpressions.confidenceValue),
            latencyP50: Self.percentile(50, of: latency, value: RollupExpressions.latencyValue),
            latencyP95: Self.percentile(95, of: latency, value: RollupExpressions.latencyValue))
    }

    /// numpy's linear percentile over a histogram, each value read as its bin's middle.
    static func percentile(_ p: Double, of histogram: [Int: Int], value: (Int) -> Double) -> Double? {
        let bins = histogram.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let count = bins.reduce(0) { $0 + $1.value }
        guard count > 0 else { return nil }
        let rank = p / 100 * Double(count - 1)
        let lower = Int(rank.rounded(.down)), upper = Int(rank.rounded(.up))
        func valueAt(_ rank: Int) -> Double {
            var seen = 0
            for (bin, n) in bins {
                seen += n
                if rank < seen { return value(bin) }
            }
            return value(bins[bins.count - 1].key)
        }
        let low = valueAt(lower), high = valueAt(upper)
        return low + (high - low) * (rank - Double(lower))
    }
}
