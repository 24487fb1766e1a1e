/// Everything `numeral stats` shows and the dashboard draws, for one filter.
public struct AnalyticsReport: Codable, Equatable, Sendable {
    public var filter: LogFilter
    public var accuracy: AccuracySummary
    /// Rows are the actual digit, columns the predicted one (single-digit records only).
    public var confusion: [[Int]]
    public var timeline: AccuracyTimeline
    public var summary: LogSummary
    public var mostConfused: [ConfusedPair]
    /// Letter readings that were corrected to another character (single characters), most
    /// frequent first: what the 10×10 matrix cannot show. Nil in reports from before letters.
    public var mostConfusedCharacters: [CharacterConfusion]?

    public init(filter: LogFilter, accuracy: AccuracySummary, confusion: [[Int]], timeline: AccuracyTimeline,
                summary: LogSummary, mostConfused: [ConfusedPair], mostConfusedCharacters: [CharacterConfusion]? = nil) {
        self.mostConfusedCharacters = mostConfusedCharacters
        self.filter = filter
        self.accuracy = accuracy
        self.confusion = confusion
        self.timeline = timeline
        self.summary = summary
        self.mostConfused = mostConfused
    }

    /// Every confusion to list, digits' and letters' together, most frequent first (ties: by
    /// actual, then predicted): what the dashboard and the PDF report show as "Most confused".
    public var confusedReadings: [CharacterConfusion] {
        let digits = mostConfused.map { CharacterConfusion(actual: String($0.actual), predicted: String($0.predicted), count: $0.count) }
        return (digits + (mostConfusedCharacters ?? [])).sorted {
            ($1.count, $0.actual, $0.predicted) < ($0.count, $1.actual, $1.predicted)
        }
    }

    /// The report of an empty log: no predictions, every input type at 0.
    public static let empty = AnalyticsReport(
        filter: LogFilter(), accuracy: AccuracySummary(labelled: 0, correct: 0),
        confusion: [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10),
        timeline: AccuracyTimeline(granularity: .day, buckets: []),
        summary: LogSummary(total: 0, labelled: 0, countsByInputType: Dictionary(uniqueKeysWithValues: InputType.allCases.map { ($0.rawValue, 0) }),
                            countsByDevice: [:], predictedDigitCounts: [Int](repeating: 0, count: 10), multiDigitCount: 0,
                            meanConfidence: nil, medianConfidence: nil, lowConfidenceThreshold: 0.5, lowConfidenceCount: 0,
                            lowConfidenceShare: nil, latencyCount: 0, latencyP50Ms: nil, latencyP95Ms: nil),
        mostConfused: [])
}
