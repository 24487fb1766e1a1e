import Foundation
import NumeralRecognition
import NumeralStore
import NumeralUI

extension DashboardData {
    /// The store's analytics report as the dashboard draws it: the numbers are the report's,
    /// only their shape changes.
    public init(report: AnalyticsReport, logPath: String, model: ModelSummary?, modelProblem: String?) {
        let timeline = DashboardTimeline(
            granularity: report.timeline.granularity == .hour ? .hour : .day,
            buckets: report.timeline.buckets.map { .init(start: $0.start, labelled: $0.labelled, correct: $0.correct) })
        self.init(
            total: report.summary.total,
            labelled: report.accuracy.labelled,
            correct: report.accuracy.correct,
            confusion: report.confusion,
            timeline: timeline,
            countsByInputType: InputType.allCases.map {
                InputTypeCount(name: $0.rawValue, count: report.summary.countsByInputType[$0.rawValue] ?? 0)
            },
            predictedDigitCounts: report.summary.predictedDigitCounts,
            multiDigitCount: report.summary.multiDigitCount,
            meanConfidence: report.summary.meanConfidence,
            lowConfidenceThreshold: report.summary.lowConfidenceThreshold,
            lowConfidenceCount: report.summary.lowConfidenceCount,
            lowConfidenceShare: report.summary.lowConfidenceShare,
            latencyP50Ms: report.summary.latencyP50Ms,
            latencyP95Ms: report.summary.latencyP95Ms,
            mostConfused: report.mostConfused.map { ConfusionPair(actual: $0.actual, predicted: $0.predicted, count: $0.count) },
            model: model,
            modelProblem: modelProblem,
            logPath: logPath)
        countsByDevice = report.summary.countsByDevice.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { InputTypeCount(name: $0.key, count: $0.value) }
    }
}

extension ModelSummary {
    /// The card's id, `metrics["mnist_test_accuracy"]` and per-epoch curves.
    public init(card: ModelCard) {
        self.init(id: card.id, mnistTestAccuracy: card.metrics["mnist_test_accuracy"],
                  epochs: card.epochs.map {
                      Epoch(epoch: $0.epoch, trainLoss: $0.trainLoss, trainAccuracy: $0.trainAccuracy,
                            validationLoss: $0.validationLoss, validationAccuracy: $0.validationAccuracy)
                  })
    }
}

extension DashboardQuery {
    /// The log filter for this query, with relative ranges ending at `now`.
    public func logFilter(now: Date) -> LogFilter {
        LogFilter(from: range.seconds.map { now.addingTimeInterval(-$0) }, to: nil,
                  inputType: input.inputTypeName.flatMap(InputType.init(rawValue:)), device: device)
    }
}
