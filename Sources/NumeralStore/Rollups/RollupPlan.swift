import Foundation

/// How a filter splits between the roll-ups and the log: the whole UTC days it covers (read
/// from the roll-up tables) and the part days at its ends (read from the log). Nil when the
/// filter covers no whole day, so the log itself answers (at most two days of it).
struct RollupPlan {
    /// Whole days `firstDay..<endDay` (nil: unbounded on that side), since 1970 in UTC.
    let firstDay: Int64?, endDay: Int64?
    /// The filter's input type and device, for the roll-up tables' own columns.
    let scope: LogFilter
    /// The parts outside the whole days, as filters on the log.
    let edges: [LogFilter]

    init?(_ filter: LogFilter) {
        let day = Double(RollupExpressions.daySeconds)
        func dayIndex(_ date: Date, rounding: FloatingPointRoundingRule) -> Int64? {
            let value = (date.timeIntervalSince1970 / day).rounded(rounding)
            // Beyond the years a timestamp can hold, the log answers.
            guard value.isFinite, abs(value) < 3_000_000 else { return nil }
            return Int64(value)
        }
        var first: Int64?, end: Int64?
        if let from = filter.from {
            guard let d = dayIndex(from, rounding: .up) else { return nil }
            first = d
        }
        if let to = filter.to {
            guard let d = dayIndex(to, rounding: .down) else { return nil }
            end = d
        }
        if let first, let end, first >= end { return nil }
        firstDay = first
        endDay = end
        scope = LogFilter(inputType: filter.inputType, device: filter.device)
        func start(_ d: Int64) -> Date { Date(timeIntervalSince1970: Double(d) * day) }
        var edges: [LogFilter] = []
        if let from = filter.from, let first, from < start(first) {
            edges.append(LogFilter(from: from, to: start(first), inputType: filter.inputType, device: filter.device))
        }
        if let to = filter.to, let end, start(end) < to {
            edges.append(LogFilter(from: start(end), to: to, inputType: filter.inputType, device: filter.device))
        }
        self.edges = edges
    }

    /// Conditions on a roll-up table's `column` counted in units of `perDay` per day.
    func conditions(_ column: String, perDay: Int64 = 1) -> [String] {
        var conditions: [String] = []
        if let firstDay { conditions.append("\(column) >= \(firstDay * perDay)") }
        if let endDay { conditions.append("\(column) < \(endDay * perDay)") }
        return conditions
    }
}
