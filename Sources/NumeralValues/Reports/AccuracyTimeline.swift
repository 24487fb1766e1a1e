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

/// The width of one timeline bucket.
public enum TimeGranularity: String, Codable, Sendable {
    case hour, day
}
