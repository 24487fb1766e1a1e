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

    /// The recognized characters as a string, left to right, e.g. "7" or "2026" (or "Ada" from a letter model).
    public var number: String { text }
    /// The recognized characters as a string, left to right.
    public var text: String { String(digits.map(\.symbol)) }
    /// The character set of the model that read it (digits for an empty recognition).
    public var classes: CharacterClasses { digits.first?.classes ?? .digits }
    /// The least confident digit's confidence: a number is only as sure as its weakest digit.
    public var confidence: Float { digits.map(\.confidence).min() ?? 0 }

    /// The text with the character at `index` replaced by class `digit` of the model's set: what the
    /// user means when they correct one character of several; that character alone when `index` is
    /// not one of them.
    public func number(replacingDigitAt index: Int, with digit: Int) -> String {
        let symbol = classes.symbol(digit)
        guard digits.indices.contains(index) else { return String(symbol) }
        var chars = Array(text)
        chars[index] = symbol
        return String(chars)
    }
}
