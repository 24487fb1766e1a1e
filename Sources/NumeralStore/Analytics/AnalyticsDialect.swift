import Foundation

/// The SQL that differs between the backends for the report `PredictionStore.report` computes
/// once for both: how outcomes are grouped, how labelled rows fall into 15-minute slots, and
/// which stored values can be of the wrong type. Each backend gives its own (`.sqlite`,
/// `.postgres`); the report's logic never asks which database it runs on.
public struct AnalyticsDialect: Sendable {
    public enum Backend: Sendable, Equatable { case sqlite, postgres }

    public let backend: Backend
    /// The outcome groups' actual value, predicted value and correct count, and their GROUP BY
    /// after `device, input_type`.
    let outcomeActual: String, outcomePredicted: String, outcomeCorrect: String, outcomeGroups: String
    /// The select list and GROUP BY of the labelled rows' 15-minute slots, and how to read a
    /// slot row back: its start, labelled and correct counts.
    let slotColumns: String, slotGroups: String
    let slotRow: @Sendable (AggregateRow) -> (start: Date, labelled: Int, correct: Int)?
    /// The conditions selecting rows with `start <= timestamp < end`, or nil when the times
    /// cannot be written in this dialect.
    let timeRange: @Sendable (_ start: Date, _ end: Date) -> [String]?
    /// A query whose one row says, per column, the type of the first and last values along the
    /// confidence and time indexes; nil where the database enforces the column types.
    let mistypedValuesQuery: String?
    /// Conditions true of rows whose stored values have the wrong type (ORed together), and
    /// their negation for the readable rows; empty where the database enforces types.
    let mistypedConditions: [String], typedConditions: [String]
}

extension AnalyticsDialect {
    static let sqlite = AnalyticsDialect(
        backend: .sqlite,
        // Grouped by the columns themselves: the covering index `predictions_by_outcome` is in this order.
        outcomeActual: "digit_actual", outcomePredicted: "digit_predicted",
        outcomeCorrect: "CASE WHEN digit_actual = digit_predicted THEN COUNT(*) ELSE 0 END",
        outcomeGroups: "digit_actual, digit_predicted",
        // The slot as text (the hour, "2025-03-01T13:", and the quarter), the key of the partial
        // index `predictions_by_labelled_slot`, which SQLite walks in order.
        slotColumns: "substr(timestamp, 1, 14), CAST(substr(timestamp, 15, 2) AS INTEGER) / 15",
        slotGroups: "1, 2",
        slotRow: { row in
            guard let hour = row.string(0),
                  let start = UTCTimestamp.parse(hour + String(format: "%02d:00.000Z", row.int(1) * 15)) else { return nil }
            return (start, row.int(2), row.int(3))
        },
        timeRange: { start, end in
            guard let from = UTCTimestamp.format(start), let to = UTCTimestamp.format(end) else { return nil }
            return ["timestamp >= '\(from)'", "timestamp < '\(to)'"]
        },
        // SQLite keeps what it is given: such values sort after every number, or outside the text.
        mistypedValuesQuery: """
            SELECT (SELECT typeof(confidence) FROM predictions ORDER BY confidence DESC LIMIT 1),
                   (SELECT typeof(timestamp) FROM predictions ORDER BY timestamp LIMIT 1),
                   (SELECT typeof(timestamp) FROM predictions ORDER BY timestamp DESC LIMIT 1)
            """,
        mistypedConditions: ["typeof(confidence) NOT IN ('real', 'integer')", "typeof(timestamp) <> 'text'"],
        typedConditions: ["typeof(confidence) IN ('real', 'integer')", "typeof(timestamp) = 'text'"])

    static let postgres = AnalyticsDialect(
        backend: .postgres,
        // Numbers of several digits share one bucket, "**", so the groups stay few whatever the log holds.
        outcomeActual: "CASE WHEN length(digit_actual) = 1 THEN digit_actual WHEN digit_actual IS NOT NULL THEN '**' END",
        outcomePredicted: "CASE WHEN length(digit_predicted) = 1 THEN digit_predicted ELSE '**' END",
        outcomeCorrect: "CAST(SUM(CASE WHEN digit_actual = digit_predicted THEN 1 ELSE 0 END) AS BIGINT)",
        outcomeGroups: "3, 4",
        slotColumns: "CAST(floor(date_part('epoch', timestamp) / 900) AS BIGINT)",
        slotGroups: "1",
        slotRow: { row in
            (Date(timeIntervalSince1970: Double(row.int(0)) * PredictionStore.slotSeconds), row.int(1), row.int(2))
        },
        timeRange: { start, end in
            ["timestamp >= to_timestamp(\(Int64(start.timeIntervalSince1970)))",
             "timestamp < to_timestamp(\(Int64(end.timeIntervalSince1970)))"]
        },
        mistypedValuesQuery: nil, mistypedConditions: [], typedConditions: [])
}
