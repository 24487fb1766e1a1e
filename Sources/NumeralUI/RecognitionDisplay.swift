import NumeralVision

/// What the recognizer tells the window about one digit: the model's ten probabilities and
/// the 28x28 picture it actually classified.
public struct DigitDisplay: Equatable, Sendable {
    public var probabilities: [Float]
    public var input: GrayImage

    public init(probabilities: [Float], input: GrayImage) {
        self.probabilities = probabilities
        self.input = input
    }

    /// Digits ranked by probability, best first; ties keep the smaller digit first so the
    /// ranking is deterministic.
    public var ranked: [(digit: Int, probability: Float)] {
        probabilities.enumerated()
            .map { (digit: $0.offset, probability: $0.element.isFinite ? $0.element : 0) }
            .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.digit < $1.digit }
    }

    public var topThree: [(digit: Int, probability: Float)] { Array(ranked.prefix(3)) }

    /// The winning digit, or nil when the recognizer returned no probabilities at all.
    public var best: Int? { ranked.first?.digit }
    public var confidence: Float { ranked.first?.probability ?? 0 }
}

/// A whole prediction as the window shows it: the number read left to right and, per digit,
/// its probabilities and model input.
public struct RecognitionDisplay: Equatable, Sendable {
    public var number: String
    public var digits: [DigitDisplay]
    public var latencyMs: Double
    public var modelVersion: String

    public init(number: String, digits: [DigitDisplay], latencyMs: Double, modelVersion: String) {
        self.number = number
        self.digits = digits
        self.latencyMs = latencyMs
        self.modelVersion = modelVersion
    }

    /// The number with the digit at `index` replaced: what the user means when they correct one
    /// digit of a multi-digit number. Falls back to the digit alone when the number is not
    /// one character per digit (a recognizer that formats differently).
    public func number(replacingDigitAt index: Int, with digit: Int) -> String {
        var chars = Array(number)
        guard chars.count == digits.count, chars.indices.contains(index) else { return String(digit) }
        chars[index] = Character(String(digit))
        return String(chars)
    }
}

/// Where a prediction's input came from, as the log records it.
public enum InputType: String, Equatable, Sendable {
    case canvas
    case upload
    /// A frame captured in the camera view.
    case camera
}
