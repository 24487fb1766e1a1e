import Foundation

/// Feedback-based accuracy: `correct` of `labelled` records had the prediction confirmed.
public struct AccuracySummary: Codable, Equatable, Sendable {
    public var labelled: Int
    public var correct: Int
    /// nil when nothing has feedback yet (not 0, which would read as "always wrong").
    public var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }

    public init(labelled: Int, correct: Int) {
        self.labelled = labelled
        self.correct = correct
    }

    private enum CodingKeys: String, CodingKey { case labelled, correct, accuracy }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labelled = try c.decode(Int.self, forKey: .labelled)
        correct = try c.decode(Int.self, forKey: .correct)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(labelled, forKey: .labelled)
        try c.encode(correct, forKey: .correct)
        try c.encode(accuracy, forKey: .accuracy)
    }
}

/// Accuracy of the records whose timestamps fall in [start, start + one granularity unit).
public struct AccuracyBucket: Codable, Equatable, Sendable {
    public var start: Date
    public var labelled: Int
    public var correct: Int
    public var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }

    public init(start: Date, labelled: Int, correct: Int) {
        self.start = start
        self.labelled = labelled
        self.correct = correct
    }

    private enum CodingKeys: String, CodingKey { case start, labelled, correct, accuracy }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        start = try c.decode(Date.self, forKey: .start)
        labelled = try c.decode(Int.self, forKey: .labelled)
        correct = try c.decode(Int.self, forKey: .correct)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode(labelled, forKey: .labelled)
        try c.encode(correct, forKey: .correct)
        try c.encode(accuracy, forKey: .accuracy)
    }
}

public enum TimeGranularity: String, Codable, Sendable {
    case hour, day
}

/// Accuracy over time, one bucket per hour or day from the first to the last labelled
/// record, including empty buckets so a chart's x axis is continuous.
public struct AccuracyTimeline: Codable, Equatable, Sendable {
    public var granularity: TimeGranularity
    public var buckets: [AccuracyBucket]

    public init(granularity: TimeGranularity, buckets: [AccuracyBucket]) {
        self.granularity = granularity
        self.buckets = buckets
    }
}

/// "Digit `actual` was read as `predicted`, `count` times."
public struct ConfusedPair: Codable, Equatable, Sendable {
    public var actual: Int
    public var predicted: Int
    public var count: Int

    public init(actual: Int, predicted: Int, count: Int) {
        self.actual = actual
        self.predicted = predicted
        self.count = count
    }
}

/// Volume, confidence and speed of the logged predictions, feedback or not.
public struct LogSummary: Codable, Equatable, Sendable {
    public var total: Int
    public var labelled: Int
    /// Every input type is present, with 0 when unused.
    public var countsByInputType: [String: Int]
    /// Records per device or instance ("unknown" for rows logged before devices were).
    public var countsByDevice: [String: Int]
    /// Single-digit predictions per digit 0...9.
    public var predictedDigitCounts: [Int]
    /// Predictions of numbers with more than one digit.
    public var multiDigitCount: Int
    public var meanConfidence: Double?
    public var medianConfidence: Double?
    public var lowConfidenceThreshold: Double
    public var lowConfidenceCount: Int
    /// Share of all predictions with confidence below the threshold.
    public var lowConfidenceShare: Double?
    /// Latency percentiles over the records that have a latency (linear interpolation,
    /// as numpy/pandas compute them).
    public var latencyCount: Int
    public var latencyP50Ms: Double?
    public var latencyP95Ms: Double?

    /// How records logged before devices were recorded are counted.
    public static let unknownDevice = "unknown"
}

/// Everything `numeral stats` shows and the dashboard draws, for one filter.
public struct AnalyticsReport: Codable, Equatable, Sendable {
    public var filter: LogFilter
    public var accuracy: AccuracySummary
    /// Rows are the actual digit, columns the predicted one (single-digit records only).
    public var confusion: [[Int]]
    public var timeline: AccuracyTimeline
    public var summary: LogSummary
    public var mostConfused: [ConfusedPair]

    /// Key-sorted JSON with dates as ISO-8601 UTC text; one line unless `pretty`.
    public func jsonData(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTimestamp.format(date) ?? String(date.timeIntervalSince1970))
        }
        return try encoder.encode(self)
    }

    public static func decode(json: Data) throws -> AnalyticsReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad date \(text)")
            }
            return date
        }
        return try decoder.decode(AnalyticsReport.self, from: json)
    }
}
