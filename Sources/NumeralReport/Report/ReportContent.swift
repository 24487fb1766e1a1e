import Foundation
import NumeralRecognition
import NumeralStore
import NumeralVision

/// Everything a report shows, gathered before drawing: the same analytics `numeral stats`
/// computes for the same filter, example inputs of the most confused pairs, and the active
/// model's card.
public struct ReportContent: Sendable {
    /// Example inputs (28×28, ink = 1) of one confused pair, as the log stored them.
    public struct PairExamples: Sendable, Equatable {
        public var pair: ConfusedPair
        public var inputs: [GrayImage]
        public init(pair: ConfusedPair, inputs: [GrayImage]) {
            self.pair = pair
            self.inputs = inputs
        }
    }

    public var analytics: AnalyticsReport
    public var examples: [PairExamples]
    /// nil when no model could be found; the report says so instead of a card.
    public var modelCard: ModelCard?
    public var modelPath: String?
    public var logPath: String
    /// Oldest and newest prediction the filter selected.
    public var firstRecord: Date?
    public var lastRecord: Date?
    public var generated: Date

    public init(analytics: AnalyticsReport, examples: [PairExamples], modelCard: ModelCard?, modelPath: String?,
                logPath: String, firstRecord: Date?, lastRecord: Date?, generated: Date = Date()) {
        self.analytics = analytics
        self.examples = examples
        self.modelCard = modelCard
        self.modelPath = modelPath
        self.logPath = logPath
        self.firstRecord = firstRecord
        self.lastRecord = lastRecord
        self.generated = generated
    }

    /// Reads the log through `store` with exactly `numeral stats`' computation for `filter` (the
    /// roll-ups, so the cost does not grow with the log), and the newest examples of the most
    /// confused pairs.
    public static func gather(store: PredictionStore, filter: LogFilter, lowConfidenceThreshold: Double = 0.5,
                              modelPath: String?, examplesPerPair: Int = 6, pairs: Int = 6) throws -> ReportContent {
        let analytics = try store.report(filter: filter, lowConfidenceThreshold: lowConfidenceThreshold)
        var examples: [PairExamples] = []
        for pair in analytics.mostConfused.prefix(pairs) {
            // Only these records' payloads are read, newest first.
            let records = try store.read(.mistaken(actual: pair.actual, predicted: pair.predicted), filter: filter,
                                         limit: examplesPerPair).records
            let inputs = records.compactMap { record -> GrayImage? in
                guard let bytes = record.input, bytes.count == PredictionRecord.inputBytesPerDigit else { return nil }
                return GrayImage(width: 28, height: 28, pixels: bytes.map { Float($0) / 255 })
            }
            examples.append(PairExamples(pair: pair, inputs: inputs))
        }
        let span = try store.timeSpan(filter: filter)
        var card: ModelCard?
        if let modelPath { card = try ModelCard.read(path: DigitModel.cardPath(forWeights: modelPath)) }
        return ReportContent(analytics: analytics, examples: examples, modelCard: card, modelPath: modelPath,
                             logPath: store.path, firstRecord: span.first, lastRecord: span.last)
    }
}
