import Foundation
import NumeralStore
import NumeralUI
import NumeralVision

/// The window's log: every prediction and its feedback go into the SQLite store.
public final class StorePredictionLog: PredictionLogging, @unchecked Sendable {
    private let store: PredictionStore

    public init(store: PredictionStore) { self.store = store }

    public func logPrediction(_ r: RecognitionDisplay, inputType: String, drawing: Drawing?) throws -> Int64 {
        let input = r.digits.flatMap { d in d.input.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) } }
        let top3 = r.digits.count == 1
            ? r.digits[0].topThree.map { DigitProbability(digit: $0.digit, probability: Double($0.probability)) }
            : []
        let record = PredictionRecord(
            inputType: NumeralStore.InputType(rawValue: inputType) ?? .canvas,
            predicted: r.number,
            confidence: Double(r.digits.map(\.confidence).min() ?? 0),
            top3: top3, modelVersion: r.modelVersion, latencyMs: r.latencyMs,
            input: input.isEmpty ? nil : input, drawing: drawing)
        return try store.record(record)
    }

    public func logFeedback(id: Int64, actual: String) throws {
        try store.setActual(id: id, actual: actual)
    }
}
