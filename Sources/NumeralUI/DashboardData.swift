import Foundation

/// What the dashboard draws, as plain values: the store's analytics report for one filter
/// plus the current model's card, converted by the app layer so this module needs neither
/// the database nor the model code.
public struct DashboardData: Equatable, Sendable {
    public var total: Int
    /// Predictions with feedback; `correct` of them were confirmed.
    public var labelled: Int
    public var correct: Int
    /// 10x10 counts, `[actual][predicted]`, over labelled single-digit predictions.
    public var confusion: [[Int]]
    public var timeline: DashboardTimeline
    /// Every input type in a fixed order, with 0 when unused.
    public var countsByInputType: [InputTypeCount]
    /// Predictions per device of a fleet, most first ("unknown" for rows from before devices).
    public var countsByDevice: [InputTypeCount] = []
    /// Single-digit predictions per predicted digit 0...9.
    public var predictedDigitCounts: [Int]
    public var multiDigitCount: Int
    public var meanConfidence: Double?
    public var lowConfidenceThreshold: Double
    public var lowConfidenceCount: Int
    public var lowConfidenceShare: Double?
    public var latencyP50Ms: Double?
    public var latencyP95Ms: Double?
    /// Off-diagonal confusion cells, largest first.
    public var mostConfused: [ConfusionPair]
    public var model: ModelSummary?
    /// Why `model` is missing (no card found, unreadable card), worded for the user.
    public var modelProblem: String?
    /// Where the log lives, shown so people know which file they are looking at.
    public var logPath: String

    public init(total: Int = 0, labelled: Int = 0, correct: Int = 0,
                confusion: [[Int]] = DashboardData.emptyConfusion,
                timeline: DashboardTimeline = DashboardTimeline(granularity: .day, buckets: []),
                countsByInputType: [InputTypeCount] = [], predictedDigitCounts: [Int] = [Int](repeating: 0, count: 10),
                multiDigitCount: Int = 0, meanConfidence: Double? = nil, lowConfidenceThreshold: Double = 0.5,
                lowConfidenceCount: Int = 0, lowConfidenceShare: Double? = nil,
                latencyP50Ms: Double? = nil, latencyP95Ms: Double? = nil, mostConfused: [ConfusionPair] = [],
                model: ModelSummary? = nil, modelProblem: String? = nil, logPath: String = "") {
        self.total = total
        self.labelled = labelled
        self.correct = correct
        self.confusion = confusion
        self.timeline = timeline
        self.countsByInputType = countsByInputType
        self.predictedDigitCounts = predictedDigitCounts
        self.multiDigitCount = multiDigitCount
        self.meanConfidence = meanConfidence
        self.lowConfidenceThreshold = lowConfidenceThreshold
        self.lowConfidenceCount = lowConfidenceCount
        self.lowConfidenceShare = lowConfidenceShare
        self.latencyP50Ms = latencyP50Ms
        self.latencyP95Ms = latencyP95Ms
        self.mostConfused = mostConfused
        self.model = model
        self.modelProblem = modelProblem
        self.logPath = logPath
    }

    public static let emptyConfusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)

    /// nil when nothing has feedback yet (not 0, which would read as "always wrong").
    public var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }

    /// Nothing logged for this filter: the dashboard shows its empty state instead of charts.
    public var isEmpty: Bool { total == 0 }

    /// The count in a confusion cell; 0 outside the matrix, so a malformed report cannot crash a frame.
    public func count(actual: Int, predicted: Int) -> Int {
        guard confusion.indices.contains(actual), confusion[actual].indices.contains(predicted) else { return 0 }
        return confusion[actual][predicted]
    }

    /// Labelled single-digit predictions of `actual`: the denominator of its row's rates.
    public func rowTotal(actual: Int) -> Int {
        guard confusion.indices.contains(actual) else { return 0 }
        return confusion[actual].reduce(0, +)
    }

    /// Share of the row (what people wrote as `actual`) that was read as `predicted`; nil for an empty row.
    public func rowRate(actual: Int, predicted: Int) -> Double? {
        let total = rowTotal(actual: actual)
        return total == 0 ? nil : Double(count(actual: actual, predicted: predicted)) / Double(total)
    }
}

public struct InputTypeCount: Equatable, Sendable {
    public var name: String
    public var count: Int
    public init(name: String, count: Int) { self.name = name; self.count = count }
}

/// "Digit `actual` was read as `predicted`, `count` times."
public struct ConfusionPair: Equatable, Sendable {
    public var actual: Int
    public var predicted: Int
    public var count: Int
    public init(actual: Int, predicted: Int, count: Int) {
        self.actual = actual
        self.predicted = predicted
        self.count = count
    }
}

/// Accuracy per hour or per day, with empty buckets kept so the x axis is continuous.
public struct DashboardTimeline: Equatable, Sendable {
    public enum Granularity: String, Equatable, Sendable { case hour, day }

    public struct Bucket: Equatable, Sendable {
        public var start: Date
        public var labelled: Int
        public var correct: Int
        public init(start: Date, labelled: Int, correct: Int) {
            self.start = start
            self.labelled = labelled
            self.correct = correct
        }
        public var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }
    }

    public var granularity: Granularity
    public var buckets: [Bucket]
    public init(granularity: Granularity, buckets: [Bucket]) {
        self.granularity = granularity
        self.buckets = buckets
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
