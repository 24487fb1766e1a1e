import ArgumentParser
import Foundation
import NumeralStore

/// `numeral stats`: accuracy, confusion matrix and accuracy over time from the log.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show accuracy, the confusion matrix and accuracy over time from the prediction log.")

    @Flag(help: "Print one JSON object instead of the text table.")
    var json = false

    @OptionGroup var location: DataDirectoryOption

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

    func run() throws {
        try reportingFailures {
            let filter = try filter()
            let store = try location.openForReading()
            // Computed by the database (SQLite or PostgreSQL): memory does not grow with the log.
            warnAboutSkippedRows(LogRead(skipped: try store.unreadableRows(filter: filter)))
            let report = try store.report(filter: filter, lowConfidenceThreshold: lowConfidence)
            if json {
                FileHandle.standardOutput.write(try report.jsonData() + Data("\n".utf8))
            } else {
                print("Log: \(store.path)")
                print(report.text(), terminator: "")
            }
        }
    }

    private func filter() throws -> LogFilter {
        var filter = LogFilter()
        if let from { filter.from = try Self.date(from, option: "--from", wholeDayEnd: false) }
        if let to { filter.to = try Self.date(to, option: "--to", wholeDayEnd: true) }
        if let device {
            guard !device.isEmpty else { throw ValidationError("--device needs a device name, as `numeral stats` lists them.") }
            filter.device = device
        }
        if let inputType {
            guard let type = InputType(rawValue: inputType.lowercased()) else {
                throw ValidationError("--input-type must be one of \(InputType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.inputType = type
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
