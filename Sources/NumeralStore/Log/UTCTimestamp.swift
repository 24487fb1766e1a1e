import Foundation

/// The log's one timestamp format, `2024-01-05T13:45:10.123Z`, and a lenient parser for
/// what seed CSVs and people type (`2024-01-05 13:45:10`, offsets, dates alone).
///
/// Hand-written rather than `ISO8601DateFormatter` because the stored text must sort
/// correctly as a string (fixed width, always UTC, always milliseconds) and the round trip
/// Date -> text -> Date must be exact, which goes through whole milliseconds here.
public enum UTCTimestamp {
    /// Whole milliseconds since 1970, rounded to nearest.
    public static func milliseconds(_ date: Date) -> Int64? {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite, abs(ms) < 9e15 else { return nil }
        return Int64(ms)
    }

    /// The date at whole milliseconds, which is what the store keeps.
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        guard let ms = milliseconds(date) else { return date }
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    /// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ`; nil outside years 0000...9999 where the text
    /// would stop sorting chronologically.
    public static func format(_ date: Date) -> String? {
        guard let ms = milliseconds(date) else { return nil }
        return format(milliseconds: ms)
    }

    static func format(milliseconds ms: Int64) -> String? {
        let (days, msOfDay) = floorDivide(ms, 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        guard (0...9999).contains(y) else { return nil }
        let h = msOfDay / 3_600_000, min = msOfDay / 60_000 % 60
        let s = msOfDay / 1000 % 60, milli = msOfDay % 1000
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(h, 2) + ":" + pad(min, 2)
            + ":" + pad(s, 2) + "." + pad(milli, 3) + "Z"
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fraction]]`,
    /// optionally followed by `Z` or an offset (`+01:00`, `+0100`, `+01`). No zone means UTC.
    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let y = scanner.digits(exactly: 4), scanner.take("-"),
              let mo = scanner.digits(exactly: 2), scanner.take("-"),
              let d = scanner.digits(exactly: 2),
              (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d) else { return nil }
        var msOfDay: Int64 = 0
        var offsetMinutes: Int64 = 0
        if scanner.take("T") || scanner.take("t") || scanner.take(" ") {
            guard let h = scanner.digits(exactly: 2), scanner.take(":"),
                  let mi = scanner.digits(exactly: 2), h < 24, mi < 60 else { return nil }
            var seconds: Int64 = 0, millis: Int64 = 0
            if scanner.take(":") {
                guard let s = scanner.digits(exactly: 2), s < 60 else { return nil }
                seconds = s
                if scanner.take(".") || scanner.take(",") {
                    guard let fraction = scanner.fractionMilliseconds() else { return nil }
                    millis = fraction
                }
            }
            msOfDay = ((h * 60 + mi) * 60 + seconds) * 1000 + millis
            if scanner.take("Z") || scanner.take("z") {
            } else if let sign = scanner.sign() {
                guard let oh = scanner.digits(exactly: 2), oh < 24 else { return nil }
                _ = scanner.take(":")
                let om = scanner.digits(exactly: 2) ?? 0
                guard om < 60 else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
            }
        }
        guard scanner.atEnd else { return nil }
        let ms = days(fromYear: y, month: mo, day: d) * 86_400_000 + msOfDay - offsetMinutes * 60_000
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, after H. Hinnant's algorithms)

    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (q, a - q * b)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Walks the UTF-8 bytes between any leading and trailing spaces or tabs.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        let end: Int

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            self.index = start
            self.end = end
        }

        var atEnd: Bool { index == end }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < end, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func sign() -> Int64? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }

        mutating func digits(exactly count: Int) -> Int64? {
            guard index + count <= end else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += count
            return value
        }

        /// Any number of fraction digits; keeps the first three (truncating, like
        /// pandas and Python when they cut microseconds to milliseconds).
        mutating func fractionMilliseconds() -> Int64? {
            var value: Int64 = 0, used = 0
            let start = index
            while index < end, (48...57).contains(bytes[index]) {
                if used < 3 { value = value * 10 + Int64(bytes[index] - 48); used += 1 }
                index += 1
            }
            guard index > start else { return nil }
            while used < 3 { value *= 10; used += 1 }
            return value
        }
    }
}
