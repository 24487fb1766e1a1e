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

    public init(total: Int, labelled: Int, countsByInputType: [String: Int], countsByDevice: [String: Int],
                predictedDigitCounts: [Int], multiDigitCount: Int, meanConfidence: Double?, medianConfidence: Double?,
                lowConfidenceThreshold: Double, lowConfidenceCount: Int, lowConfidenceShare: Double?,
                latencyCount: Int, latencyP50Ms: Double?, latencyP95Ms: Double?) {
        self.total = total
        self.labelled = labelled
        self.countsByInputType = countsByInputType
        self.countsByDevice = countsByDevice
        self.predictedDigitCounts = predictedDigitCounts
        self.multiDigitCount = multiDigitCount
        self.meanConfidence = meanConfidence
        self.medianConfidence = medianConfidence
        self.lowConfidenceThreshold = lowConfidenceThreshold
        self.lowConfidenceCount = lowConfidenceCount
        self.lowConfidenceShare = lowConfidenceShare
        self.latencyCount = latencyCount
        self.latencyP50Ms = latencyP50Ms
        self.latencyP95Ms = latencyP95Ms
    }

    /// How records logged before devices were recorded are counted.
    public static let unknownDevice = "unknown"
}
