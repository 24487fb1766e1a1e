import Foundation
import NumeralVision

/// One write kept in the spool until the log accepts it. Both kinds are idempotent, keyed
/// by the record's `uid`, so replaying an entry twice (after a crash between writing it to
/// the log and removing it from the spool) changes nothing.
public enum SpoolEntry: Codable, Equatable, Sendable {
    /// Insert or update the record named `record.uid`.
    case upsert(PredictionRecord)
    /// Set the feedback of the record named `uid`.
    case feedback(uid: String, actual: String?)

    public var uid: String {
        switch self {
        case .upsert(let record): return record.uid ?? ""
        case .feedback(let uid, _): return uid
        }
    }

    private enum CodingKeys: String, CodingKey {
        case op, uid, timestamp, inputType = "input_type", predicted, confidence, top3, actual
        case modelVersion = "model_version", latencyMs = "latency_ms", input, drawing, device, client
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let uid = try c.decode(String.self, forKey: .uid)
        switch try c.decode(String.self, forKey: .op) {
        case "feedback":
            self = .feedback(uid: uid, actual: try c.decodeIfPresent(String.self, forKey: .actual))
        case "upsert":
            let milliseconds = try c.decode(Int64.self, forKey: .timestamp)
            self = .upsert(PredictionRecord(
                timestamp: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
                inputType: try c.decode(InputType.self, forKey: .inputType),
                predicted: try c.decode(String.self, forKey: .predicted),
                confidence: try c.decode(Double.self, forKey: .confidence),
                top3: try c.decode([DigitProbability].self, forKey: .top3),
                actual: try c.decodeIfPresent(String.self, forKey: .actual),
                modelVersion: try c.decode(String.self, forKey: .modelVersion),
                latencyMs: try c.decodeIfPresent(Double.self, forKey: .latencyMs),
                input: try c.decodeIfPresent(Data.self, forKey: .input).map { [UInt8]($0) },
                drawing: try c.decodeIfPresent(Drawing.self, forKey: .drawing),
                uid: uid,
                device: try c.decodeIfPresent(String.self, forKey: .device),
                client: try c.decodeIfPresent(String.self, forKey: .client)))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .op, in: c, debugDescription: "unknown spool operation \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(uid, forKey: .uid)
        switch self {
        case .feedback(_, let actual):
            try c.encode("feedback", forKey: .op)
            try c.encodeIfPresent(actual, forKey: .actual)
        case .upsert(let record):
            try c.encode("upsert", forKey: .op)
            try c.encode(Int64((record.timestamp.timeIntervalSince1970 * 1000).rounded()), forKey: .timestamp)
            try c.encode(record.inputType, forKey: .inputType)
            try c.encode(record.predicted, forKey: .predicted)
            try c.encode(record.confidence, forKey: .confidence)
            try c.encode(record.top3, forKey: .top3)
            try c.encodeIfPresent(record.actual, forKey: .actual)
            try c.encode(record.modelVersion, forKey: .modelVersion)
            try c.encodeIfPresent(record.latencyMs, forKey: .latencyMs)
            try c.encodeIfPresent(record.input.map { Data($0) }, forKey: .input)
            try c.encodeIfPresent(record.drawing, forKey: .drawing)
            try c.encodeIfPresent(record.device, forKey: .device)
            try c.encodeIfPresent(record.client, forKey: .client)
        }
    }
}
