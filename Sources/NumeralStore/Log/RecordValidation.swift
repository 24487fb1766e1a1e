import Foundation
import NumeralVision

/// The checks a record passes before it is written, so the log only ever holds values the
/// analytics and the retraining loop can trust (no NaN, no "7 ", no truncated inputs). A reading
/// is digits, or letters a-z and A-Z from a letter model (`numeral predict --classes letters`).
enum RecordValidation {
    static let maximumDigits = 64

    static func validate(_ record: PredictionRecord) throws {
        try validateDigits(record.predicted, field: "the predicted value")
        if let actual = record.actual { try validateDigits(actual, field: "the actual value") }
        try validateProbability(record.confidence, field: "confidence")
        for guess in record.top3 {
            guard (0...9).contains(guess.digit) else {
                throw StoreError.invalidRecord("top-3 digit \(guess.digit) is not 0...9")
            }
            try validateProbability(guess.probability, field: "top-3 probability of \(guess.digit)")
        }
        if let latency = record.latencyMs, !(latency.isFinite && latency >= 0) {
            throw StoreError.invalidRecord("latency \(latency) ms is not a finite, non-negative number")
        }
        if let input = record.input {
            let size = PredictionRecord.inputBytesPerDigit
            guard !input.isEmpty, input.count % size == 0 else {
                throw StoreError.invalidRecord("the input has \(input.count) bytes, not a multiple of \(size) (28x28 per digit)")
            }
        }
        if let drawing = record.drawing { try validate(drawing) }
        guard !record.modelVersion.isEmpty else {
            throw StoreError.invalidRecord("the model version is empty (use \"\(PredictionRecord.unknownModelVersion)\")")
        }
        guard UTCTimestamp.format(record.timestamp) != nil else {
            throw StoreError.invalidRecord("timestamp \(record.timestamp.timeIntervalSince1970) is outside years 0000...9999")
        }
    }

    static func validateDigits(_ value: String, field: String) throws {
        guard !value.isEmpty, value.count <= maximumDigits,
              value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) }) else {
            throw StoreError.invalidRecord("\(field) \"\(value.prefix(80))\" must be 1...\(maximumDigits) characters 0-9, a-z or A-Z")
        }
    }

    static func validateProbability(_ value: Double, field: String) throws {
        guard value.isFinite, (0...1).contains(value) else {
            throw StoreError.invalidRecord("\(field) \(value) must be a number between 0 and 1")
        }
    }

    static func validate(_ drawing: Drawing) throws {
        for (s, stroke) in drawing.strokes.enumerated() {
            for (p, point) in stroke.points.enumerated() {
                let values = [point.x, point.y, point.pressure ?? 0, point.time ?? 0]
                guard values.allSatisfy(\.isFinite) else {
                    throw StoreError.invalidRecord("drawing stroke \(s) point \(p) has a non-finite coordinate")
                }
            }
        }
        guard [drawing.width ?? 0, drawing.height ?? 0].allSatisfy(\.isFinite) else {
            throw StoreError.invalidRecord("the drawing's width or height is not finite")
        }
    }
}
