import Foundation
import NumeralStore

/// How the report writes numbers and dates: percentages with two decimals (as `numeral stats`
/// rounds), dates in UTC like the log.
public enum ReportFormat {
    /// A fraction 0...1 as "98.82 %".
    public static func percent(_ fraction: Double) -> String { String(format: "%.2f %%", fraction * 100) }

    public static func milliseconds(_ ms: Double) -> String { String(format: ms < 10 ? "%.2f ms" : "%.0f ms", ms) }

    /// "2026-11-29 04:12".
    public static func minute(_ date: Date) -> String {
        let text = UTCTimestamp.format(date) ?? "?"
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    public static func day(_ date: Date) -> String { String((UTCTimestamp.format(date) ?? "?").prefix(10)) }

    /// The filter's bounds where given, else the span of the selected predictions.
    public static func period(filter: LogFilter, first: Date?, last: Date?) -> String {
        let from = filter.from.map(minute) ?? first.map(minute)
        // `to` is exclusive.
        let to = filter.to.map { "before " + minute($0) } ?? last.map(minute)
        switch (from, to) {
        case let (f?, t?): return "\(f) to \(t) (UTC)"
        case let (f?, nil): return "from \(f) (UTC)"
        case let (nil, t?): return "until \(t) (UTC)"
        default: return "the whole log (no predictions selected)"
        }
    }

    public static func filters(_ filter: LogFilter) -> String {
        var parts: [String] = []
        if let from = filter.from { parts.append("from \(minute(from))") }
        if let to = filter.to { parts.append("before \(minute(to))") }
        parts.append("input type: \(filter.inputType?.rawValue ?? "all")")
        parts.append("device: \(filter.device ?? "all")")
        return parts.joined(separator: ", ")
    }

    static func bucket(_ date: Date, _ granularity: TimeGranularity) -> String {
        let text = UTCTimestamp.format(date) ?? "?"
        let chars = Array(text)
        guard chars.count >= 16 else { return text }
        return granularity == .hour ? String(chars[5..<10]) + " " + String(chars[11..<16]) : String(chars[5..<10])
    }
}
