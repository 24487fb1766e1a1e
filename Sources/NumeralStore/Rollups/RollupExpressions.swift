import Foundation

/// The SQL expressions of a row's roll-up keys and counts in one backend's dialect, for the
/// triggers (`NEW.`/`OLD.` columns), the back-fill and the log's edges read raw.
struct RollupExpressions {
    let backend: AnalyticsDialect.Backend

    /// Seconds in a day and in a timeline slot.
    static let daySeconds: Int64 = 86_400
    static let slotSeconds: Int64 = 900

    struct Columns {
        let day: String, slot: String, device: String, predicted: String, actual: String
        let correct: String, low: String, hasLatency: String, confidenceBin: String, latencyBin: String
    }

    /// The expressions over the columns of `row` (a table name or `NEW`/`OLD`).
    func columns(row r: String) -> Columns {
        let seconds: String
        switch backend {
        case .sqlite:
            // Stored as "2025-03-01T13:45:07.123Z"; a value that is no time counts on day 0.
            seconds = "COALESCE(CAST(strftime('%s', substr(\(r).timestamp, 1, 19)) AS INTEGER), 0)"
        case .postgres:
            seconds = "CAST(floor(date_part('epoch', \(r).timestamp)) AS BIGINT)"
        }
        return Columns(
            day: floorDivision(seconds, Self.daySeconds),
            slot: floorDivision(seconds, Self.slotSeconds),
            device: "COALESCE(\(r).device, '')",
            predicted: "CASE WHEN length(\(r).digit_predicted) = 1 THEN \(r).digit_predicted ELSE '**' END",
            actual: "CASE WHEN \(r).digit_actual IS NULL THEN '' WHEN length(\(r).digit_actual) = 1 THEN \(r).digit_actual ELSE '**' END",
            correct: "CASE WHEN \(r).digit_actual = \(r).digit_predicted THEN 1 ELSE 0 END",
            low: "CASE WHEN \(r).confidence < \(Self.lowConfidence) THEN 1 ELSE 0 END",
            hasLatency: "CASE WHEN \(r).latency_ms IS NULL THEN 0 ELSE 1 END",
            confidenceBin: confidenceBin("\(r).confidence"),
            latencyBin: latencyBin("\(r).latency_ms"))
    }

    /// The threshold the low-confidence counts are kept for (the reports' default).
    static let lowConfidence = 0.5

    /// Floor division of a whole number of seconds (a negative time still falls in its own day).
    private func floorDivision(_ seconds: String, _ by: Int64) -> String {
        "((\(seconds)) - (((\(seconds)) % \(by)) + \(by)) % \(by)) / \(by)"
    }

    /// Bins 0.01 wide, 0…100 (100 holds exactly 1).
    func confidenceBin(_ value: String) -> String {
        let scaled = truncate("(\(value)) * 100")
        return backend == .sqlite ? "MIN(MAX(\(scaled), 0), 100)" : "LEAST(GREATEST(\(scaled), 0), 100)"
    }

    /// Bins 2 % wide from 0.01 ms (bin 1) up, so a day's latencies take a few hundred bins
    /// whatever their spread; bin 0 holds everything below 0.01 ms. At most bin 2,000.
    func latencyBin(_ value: String) -> String {
        let bin = "CASE WHEN (\(value)) < \(Self.latencyBase) THEN 0 ELSE 1 + \(truncate("ln((\(value)) / \(Self.latencyBase)) / ln(\(Self.latencyRatio))")) END"
        return backend == .sqlite ? "MIN(\(bin), 2000)" : "LEAST(\(bin), 2000)"
    }

    static let latencyBase = 0.01, latencyRatio = 1.02

    /// Rounds a non-negative number down to a whole number (PostgreSQL's CAST rounds to nearest).
    private func truncate(_ value: String) -> String {
        backend == .sqlite ? "CAST(\(value) AS INTEGER)" : "CAST(floor(\(value)) AS BIGINT)"
    }

    /// The value a histogram bin stands for (its middle; for latency the geometric one): a
    /// percentile read from the histograms is within half a confidence bin (0.005), or 1 % of
    /// latency, of the exact one.
    static func confidenceValue(bin: Int) -> Double { bin >= 100 ? 1 : (Double(bin) + 0.5) / 100 }
    static func latencyValue(bin: Int) -> Double {
        bin <= 0 ? latencyBase / 2 : latencyBase * pow(latencyRatio, Double(bin) - 0.5)
    }
}
