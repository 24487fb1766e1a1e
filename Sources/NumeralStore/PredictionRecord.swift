import Foundation
import NumeralVision

/// One of the model's ranked guesses.
public struct DigitProbability: Codable, Equatable, Sendable {
    public var digit: Int
    public var probability: Double

    public init(digit: Int, probability: Double) {
        self.digit = digit
        self.probability = probability
    }
}

/// One logged prediction, and the user's feedback on it once given.
///
/// `predicted` and `actual` are strings so a multi-digit number ("42") is one record;
/// for those, `input` holds the per-digit 28x28 inputs concatenated (784 bytes each).
public struct PredictionRecord: Sendable, Equatable {
    /// Assigned by the store; nil for a record not yet saved.
    public var id: Int64?
    /// Stored with millisecond precision in UTC.
    public var timestamp: Date
    public var inputType: InputType
    public var predicted: String
    public var confidence: Double
    public var top3: [DigitProbability]
    /// The digit(s) the user says were drawn; nil until feedback.
    public var actual: String?
    public var modelVersion: String
    /// Nil for rows logged before latency was recorded (seed CSVs, schema v1):
    /// counting those as 0 ms would falsify the latency percentiles.
    public var latencyMs: Double?
    /// Normalized 28x28 model input, 0 = paper, 255 = ink; 784 bytes per digit.
    public var input: [UInt8]?
    public var drawing: Drawing?
    /// The writer's own unique name for the record (one per drawing), so updates, feedback
    /// and replays from the spool find it without knowing `id`; nil for rows logged before
    /// schema v5 and for imports that did not carry one.
    public var uid: String?
    /// The device or instance that made the record (config `device`, else the host name);
    /// nil for rows logged before schema v6.
    public var device: String?
    /// For predictions made through the HTTP API: which client made it.
    public var client: String?

    public init(id: Int64? = nil,
                timestamp: Date = Date(),
                inputType: InputType,
                predicted: String,
                confidence: Double,
                top3: [DigitProbability] = [],
                actual: String? = nil,
                modelVersion: String = PredictionRecord.unknownModelVersion,
                latencyMs: Double? = nil,
                input: [UInt8]? = nil,
                drawing: Drawing? = nil,
                uid: String? = nil,
                device: String? = nil,
                client: String? = nil) {
        self.id = id
        self.uid = uid
        self.device = device
        self.client = client
        self.timestamp = timestamp
        self.inputType = inputType
        self.predicted = predicted
        self.confidence = confidence
        self.top3 = top3
        self.actual = actual
        self.modelVersion = modelVersion
        self.latencyMs = latencyMs
        self.input = input
        self.drawing = drawing
    }

    /// Model version recorded for rows that predate model versioning.
    public static let unknownModelVersion = "unknown"
    /// Bytes of one digit's normalized input.
    public static let inputBytesPerDigit = 28 * 28

    /// Whether the prediction matched the feedback; nil without feedback.
    public var isCorrect: Bool? {
        actual.map { $0 == predicted }
    }

    /// Both sides are one digit, so the record belongs in the 10x10 confusion matrix.
    var singleDigitPair: (actual: Int, predicted: Int)? {
        guard let actual, actual.count == 1, predicted.count == 1,
              let a = Int(actual), let p = Int(predicted) else { return nil }
        return (a, p)
    }
}
