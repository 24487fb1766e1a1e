import Foundation
import NumeralRecognition
import NumeralStore
import NumeralUI

/// Reads the log and the model card and builds `DashboardData` with `Analytics.report`.
/// Blocking: call it off the UI thread, from one queue at a time (it caches the open store
/// and the parsed card).
public final class DashboardLoader: @unchecked Sendable {
    public let source: DashboardSource
    private var store: PredictionStore?
    private var card: (path: String, modified: Date?, summary: ModelSummary)?

    public init(source: DashboardSource) { self.source = source }

    /// Everything the dashboard shows for `query`, with ranges ending at `now`.
    public func load(_ query: DashboardQuery, now: Date = Date()) -> DashboardLoadOutcome {
        let (model, modelProblem) = modelSummary()
        do {
            guard let store = try openStore() else {
                // No log yet is the normal first run, not an error: show the empty state.
                return .success(DashboardData(model: model, modelProblem: modelProblem, logPath: source.logPath), token: nil)
            }
            // The token is read before the records: a change landing in between makes the
            // next poll see a newer token and load again, never the reverse.
            let token = try store.changeToken()
            let filter = query.logFilter(now: now)
            // Computed by the database; unreadable rows are left out (never blocking the
            // dashboard), and `numeral stats` names them.
            let report = try store.report(filter: filter, lowConfidenceThreshold: source.lowConfidenceThreshold,
                                          confusedPairLimit: 8, timeZone: source.timeZone)
            return .success(DashboardData(report: report, model: model, modelProblem: modelProblem, logPath: store.path),
                            token: token)
        } catch {
            self.store = nil
            return .failure(String(describing: error))
        }
    }

    /// The log's change token, or nil while there is no log. Cheap: one single-row read.
    public func changeToken() throws -> Int64? {
        do {
            return try openStore()?.changeToken()
        } catch {
            store = nil
            throw error
        }
    }

    /// `PredictionStore.openForReading`, opened once and kept: the dashboard never creates or
    /// locks a log; nil when there is none yet.
    func openStore() throws -> PredictionStore? {
        if let store { return store }
        let location: LogLocation = source.sharedLog.map { .postgres($0) } ?? .sqlite(directory: source.logDirectory)
        store = try PredictionStore.openForReading(location: location)
        return store
    }

    private func modelSummary() -> (ModelSummary?, String?) {
        let weights: String
        do {
            let active = try? openStore()?.activeModel()?.path
            weights = try ModelLocator(explicitPath: source.modelPath, activeModelPath: active).locate()
        } catch RecognitionError.modelNotFound(let searched) {
            // The full search list is for the command line; one line fits the dashboard.
            let place = searched.count == 1 ? " at \(searched[0])" : ""
            return (nil, "No model found\(place): train one with `numeral train` or pass --model PATH.")
        } catch {
            return (nil, String(describing: error))
        }
        let path = DigitModel.cardPath(forWeights: weights)
        let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        if let card, card.path == path, card.modified == modified { return (card.summary, nil) }
        do {
            let summary = ModelSummary(card: try ModelCard.read(path: path))
            card = (path, modified, summary)
            return (summary, nil)
        } catch {
            return (nil, String(describing: error))
        }
    }
}

extension DashboardLoader {
    /// Writes the log rows `query` selects to `path` as CSV (`LogCSV.export`) and returns how many.
    public func exportCSV(_ query: DashboardQuery, now: Date = Date(), to path: String) throws -> Int {
        guard let store = try openStore() else {
            throw DashboardExportError.noLog(path: source.logPath)
        }
        return try LogCSV.export(from: store, filter: query.logFilter(now: now), toFile: path).written
    }
}
