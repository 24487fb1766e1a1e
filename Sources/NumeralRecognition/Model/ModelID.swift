import Foundation

public enum ModelID {
    /// A sortable, unique, readable id such as `mnist-20261122-141503-3f9a`.
    public static func make(prefix: String, date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "\(prefix)-\(f.string(from: date))-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    }
}
