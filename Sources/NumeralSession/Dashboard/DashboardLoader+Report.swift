import Foundation
import NumeralRecognition
import NumeralReport
import NumeralStore
import NumeralUI

extension DashboardLoader {
    /// Writes the PDF report (`numeral report`) of the predictions `query` selects to `path`, with
    /// the dashboard's model card; returns what was written, e.g. "the report (A4, 412 predictions)".
    /// Blocking: call it off the UI thread.
    public func exportReport(_ query: DashboardQuery, now: Date = Date(), paper: Paper = .a4, to path: String) throws -> String {
        guard let store = try openStore() else { throw DashboardExportError.noLog(path: source.logPath) }
        let active = try? store.activeModel()?.path
        let modelPath = try? ModelLocator(explicitPath: source.modelPath, activeModelPath: active).locate()
        let content = try ReportContent.gather(store: store, filter: query.logFilter(now: now),
                                               lowConfidenceThreshold: source.lowConfidenceThreshold, modelPath: modelPath)
        try ReportDocument(paper: paper).write(content, to: path)
        let scope = query.description.isEmpty ? "" : ", \(query.description)"
        return "the report (\(paper.name), \(content.analytics.summary.total) predictions\(scope))"
    }
}
