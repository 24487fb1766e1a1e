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
    @OptionGroup var filtering: LogFilterOptions
    @Option(help: "Paper size: a4 or letter.") var paper: Paper = .a4
    @Option(name: .customLong("model"), help: "Model whose card to show (default: the log's active model, else the shipped one).")
    var model: String?

    func run() throws {
        try reportingFailures {
            let store = try location.openForReading()
            let locator = ModelLocator(explicitPath: model,
                                       activeModelPath: model == nil ? ModelOptions.activeModelPath(dataDirectory: location.directory) : nil)
            // A --model that is not there is an error; no model at all just leaves the card out.
            let modelPath = model != nil ? try locator.locate() : try? locator.locate()
            let content = try ReportContent.gather(store: store, filter: try filtering.filter(), lowConfidenceThreshold: filtering.lowConfidence,
                                                   modelPath: modelPath)
            try ReportDocument(paper: paper).write(content, to: pdf)
            print("Wrote \(pdf) (\(paper.name), 2 pages, \(content.analytics.summary.total) predictions)")
        }
    }
}
