import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralReport
import NumeralStore

extension Paper: ExpressibleByArgument {}

/// `numeral report`: the log's analytics and the active model's card as a printable PDF.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a PDF report of the prediction log: accuracy, confusion, accuracy over time, confused examples, the model's card.",
        discussion: "The numbers are those of `numeral stats --json` for the same --from, --to and --input-type.")

    @Option(help: "The PDF file to write.") var pdf: String
    @OptionGroup var location: DataDirectoryOption
    @Option(help: "Only predictions at or after this UTC date/time (2024-01-05 or 2024-01-05T13:45:00Z).") var from: String?
    @Option(help: "Only predictions before this UTC date/time; a date alone includes that whole day.") var to: String?
    @Option(name: .customLong("input-type"),
            help: "Only one input type: \(InputType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var inputType: String?
    @Option(name: .customLong("low-confidence"), help: "Confidence below which a prediction counts as unsure.")
    var lowConfidence = 0.5
    @Option(help: "Only predictions made by this device or instance (config `device`, else its host name).") var device: String?
    @Option(help: "Paper size: a4 or letter.") var paper: Paper = .a4
    @Option(name: .customLong("model"), help: "Model whose card to show (default: the log's active model, else the shipped one).")
    var model: String?

    func validate() throws {
        _ = try filter()
        guard lowConfidence.isFinite, (0...1).contains(lowConfidence) else {
            throw ValidationError("--low-confidence must be between 0 and 1.")
        }
    }

    func run() throws {
        try reportingFailures {
            let store = try location.openForReading()
            let locator = ModelLocator(explicitPath: model,
                                       activeModelPath: model == nil ? ModelOptions.activeModelPath(dataDirectory: location.directory) : nil)
            // A --model that is not there is an error; no model at all just leaves the card out.
            let modelPath = model != nil ? try locator.locate() : try? locator.locate()
            let content = try ReportContent.gather(store: store, filter: try filter(), lowConfidenceThreshold: lowConfidence,
                                                   modelPath: modelPath)
            try ReportDocument(paper: paper).write(content, to: pdf)
            print("Wrote \(pdf) (\(paper.name), 2 pages, \(content.analytics.summary.total) predictions)")
        }
    }

    private func filter() throws -> LogFilter {
        var filter = LogFilter()
        if let from { filter.from = try StatsCommand.date(from, option: "--from", wholeDayEnd: false) }
        if let to { filter.to = try StatsCommand.date(to, option: "--to", wholeDayEnd: true) }
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
}
