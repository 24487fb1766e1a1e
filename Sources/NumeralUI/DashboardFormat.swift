import Foundation

/// Number and date texts of the dashboard, locale-independent so screenshots and tests are
/// stable.
public enum DashboardFormat {
    /// "97.3%"; "—" for nil or non-finite.
    public static func percent(_ value: Double?, decimals: Int = 1) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.\(decimals)f%%", value * 100)
    }

    /// "12,345".
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// "0.42 ms" with precision that suits the magnitude.
    public static func milliseconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        if value < 10 { return String(format: "%.2f ms", value) }
        if value < 100 { return String(format: "%.1f ms", value) }
        return String(format: "%.0f ms", value)
    }

    /// Axis label for a timeline bucket: "Mar 5" per day, "14:00" per hour (with the day at midnight).
    public static func bucketLabel(_ date: Date, granularity: TimeGranularity, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.month, .day, .hour], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[min(max((c.month ?? 1) - 1, 0), 11)]
        let dayText = "\(month) \(c.day ?? 1)"
        switch granularity {
        case .day: return dayText
        case .hour:
            let hour = c.hour ?? 0
            return hour == 0 ? dayText : String(format: "%02d:00", hour)
        }
    }
}
