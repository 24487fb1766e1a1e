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

    @OptionGroup var filtering: LogFilterOptions

    func run() throws {
        try reportingFailures {
            let filter = try filtering.filter()
            let store = try location.openForReading()
            // Computed by the database (SQLite or PostgreSQL): memory does not grow with the log.
            let (report, unreadable) = try store.reportNamingUnreadable(filter: filter, lowConfidenceThreshold: filtering.lowConfidence)
            warnAboutSkippedRows(LogRead(skipped: unreadable))
            if json {
                FileHandle.standardOutput.write(try report.jsonData() + Data("\n".utf8))
            } else {
                print("Log: \(store.path)")
                print(report.text(), terminator: "")
            }
        }
    }
}
