import NumeralVision

/// The model's verdict on one digit.
public struct DigitPrediction: Equatable, Sendable {
    /// Probability of each digit 0...9.
    public var probabilities: [Float]
    /// The 28×28 image the model saw.
    public var input: GrayImage

    public init(probabilities: [Float], input: GrayImage) {
        self.probabilities = probabilities
        self.input = input
    }

    public var digit: Int { probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }) ?? 0 }
    public var confidence: Float { probabilities.isEmpty ? 0 : probabilities[digit] }

    /// The three most likely digits, most likely first.
    public var top3: [(digit: Int, probability: Float)] {
        probabilities.enumerated().sorted { $0.element > $1.element }.prefix(3).map { ($0.offset, $0.element) }
    }
}

/// What a drawing or picture was recognized as: one digit, or a number of several.
public struct Recognition: Equatable, Sendable {
    public var digits: [DigitPrediction]
    public var latencyMs: Double
    public var modelID: String

    public init(digits: [DigitPrediction], latencyMs: Double, modelID: String) {
        self.digits = digits
        self.latencyMs = latencyMs
        self.modelID = modelID
    }

    /// The recognized digits as a string, e.g. "7" or "2026".
    public var number: String { digits.map { String($0.digit) }.joined() }
    /// The least confident digit's confidence: a number is only as sure as its weakest digit.
    public var confidence: Float { digits.map(\.confidence).min() ?? 0 }
}
