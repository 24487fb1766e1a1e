import ArgumentParser
import Foundation
import NumeralStore

/// `--from`, `--to`, `--input-type`, `--device` and `--low-confidence`: which part of the log a
/// command looks at, the same for `stats` and `report` (so their numbers agree).
struct LogFilterOptions: ParsableArguments {
    @Option(help: "Only predictions at or after this UTC date/time (2024-01-05 or 2024-01-05T13:45:00Z).")
    var from: String?

    @Option(help: "Only predictions before this UTC date/time; a date alone includes that whole day.")
    var to: String?

    @Option(name: .customLong("input-type"),
            help: "Only one input type: \(InputType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var inputType: String?

    @Option(help: "Only predictions made by this device or instance (config `device`, else its host name).")
    var device: String?

    @Option(name: .customLong("low-confidence"), help: "Confidence below which a prediction counts as unsure.")
    var lowConfidence = 0.5

    func validate() throws {
        _ = try filter()
        guard lowConfidence.isFinite, (0...1).contains(lowConfidence) else {
            throw ValidationError("--low-confidence must be between 0 and 1.")
        }
    }

    func filter() throws -> LogFilter {
        var filter = LogFilter()
        if let from { filter.from = try Self.date(from, option: "--from", wholeDayEnd: false) }
        if let to { filter.to = try Self.date(to, option: "--to", wholeDayEnd: true) }
        if let inputType {
            guard let type = InputType(rawValue: inputType.lowercased()) else {
                throw ValidationError("--input-type must be one of \(InputType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.inputType = type
        }
        if let device {
            guard !device.isEmpty else { throw ValidationError("--device needs a device name, as `numeral stats` lists them.") }
            filter.device = device
        }
        return filter
    }

    /// A date alone as an upper bound means "through that day", i.e. before the next midnight.
    static func date(_ text: String, option: String, wholeDayEnd: Bool) throws -> Date {
        guard let date = UTCTimestamp.parse(text) else {
            throw ValidationError("\(option) \"\(text)\" is not a date like 2024-01-05 or 2024-01-05T13:45:00Z.")
        }
        let dateOnly = text.trimmingCharacters(in: .whitespaces).count == 10
        return wholeDayEnd && dateOnly ? date.addingTimeInterval(86_400) : date
    }
}
