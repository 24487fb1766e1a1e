import Foundation

/// What the dashboard draws: the store's analytics report for one filter (the same value
/// `numeral stats` prints), the current model's card and where the log lives.
public struct DashboardData: Equatable, Sendable {
    public var report: AnalyticsReport
    public var model: ModelSummary?
    /// Why `model` is missing (no card found, unreadable card), worded for the user.
    public var modelProblem: String?
    /// Where the log lives, shown so people know which file they are looking at.
    public var logPath: String

    public init(report: AnalyticsReport = .empty, model: ModelSummary? = nil, modelProblem: String? = nil, logPath: String = "") {
        self.report = report
        self.model = model
        self.modelProblem = modelProblem
        self.logPath = logPath
    }

    /// Nothing logged for this filter: the dashboard shows its empty state instead of charts.
    public var isEmpty: Bool { report.summary.total == 0 }

    /// Every input type in a fixed order, with 0 when unused.
    public var countsByInputType: [(type: InputType, count: Int)] {
        InputType.allCases.map { ($0, report.summary.countsByInputType[$0.rawValue] ?? 0) }
    }

    /// Predictions per device of a fleet, most first ("unknown" for rows from before devices).
    public var countsByDevice: [(name: String, count: Int)] {
        report.summary.countsByDevice.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    /// The count in a confusion cell; 0 outside the matrix, so a malformed report cannot crash a frame.
    public func count(actual: Int, predicted: Int) -> Int {
        guard report.confusion.indices.contains(actual), report.confusion[actual].indices.contains(predicted) else { return 0 }
        return report.confusion[actual][predicted]
    }

    /// Labelled single-digit predictions of `actual`: the denominator of its row's rates.
    public func rowTotal(actual: Int) -> Int {
        guard report.confusion.indices.contains(actual) else { return 0 }
        return report.confusion[actual].reduce(0, +)
    }

    /// Share of the row (what people wrote as `actual`) that was read as `predicted`; nil for an empty row.
    public func rowRate(actual: Int, predicted: Int) -> Double? {
        let total = rowTotal(actual: actual)
        return total == 0 ? nil : Double(count(actual: actual, predicted: predicted)) / Double(total)
    }
}

/// The model the app recognizes with, from its card.
public struct ModelSummary: Equatable, Sendable {
    public struct Epoch: Equatable, Sendable {
        public var epoch: Int
        public var trainLoss: Double
        public var trainAccuracy: Double
        public var validationLoss: Double
        public var validationAccuracy: Double
        public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double, validationAccuracy: Double) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.trainAccuracy = trainAccuracy
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
        }
    }

    public var id: String
    public var mnistTestAccuracy: Double?
    public var epochs: [Epoch]
    public init(id: String, mnistTestAccuracy: Double?, epochs: [Epoch]) {
        self.id = id
        self.mnistTestAccuracy = mnistTestAccuracy
        self.epochs = epochs
    }
}
