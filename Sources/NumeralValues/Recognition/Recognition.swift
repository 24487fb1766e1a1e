/// What a drawing or picture was recognized as: one digit, or a number of several, read left
/// to right, with each digit's probabilities and model input.
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

    /// The number with the digit at `index` replaced: what the user means when they correct one
    /// digit of a multi-digit number; the digit alone when `index` is not one of the digits.
    public func number(replacingDigitAt index: Int, with digit: Int) -> String {
        guard digits.indices.contains(index) else { return String(digit) }
        var chars = Array(number)
        chars[index] = Character(String(digit))
        return String(chars)
    }
}
