/// The model's verdict on one character (a digit unless the model reads letters): a probability
/// per class of the model's character set and the 28×28 picture it classified.
public struct DigitPrediction: Equatable, Sendable {
    /// Probability of each class, in the order of `classes.symbols` (the digits 0...9 for a digit model).
    public var probabilities: [Float]
    /// The 28×28 image the model saw.
    public var input: GrayImage

    public init(probabilities: [Float], input: GrayImage) {
        self.probabilities = probabilities
        self.input = input
    }

    /// Digits ranked by probability, best first; ties keep the smaller digit first so the
    /// ranking is deterministic, and a non-finite probability counts as 0.
    public var ranked: [(digit: Int, probability: Float)] {
        probabilities.enumerated()
            .map { (digit: $0.offset, probability: $0.element.isFinite ? $0.element : 0) }
            .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.digit < $1.digit }
    }

    /// The three most likely digits, most likely first.
    public var top3: [(digit: Int, probability: Float)] { Array(ranked.prefix(3)) }

    /// The winning digit, or nil when the recognizer returned no probabilities at all.
    public var best: Int? { ranked.first?.digit }
    /// The winning digit (0 when there are no probabilities).
    public var digit: Int { best ?? 0 }
    public var confidence: Float { ranked.first?.probability ?? 0 }

    /// The character set the probabilities are over, told by their count (10, 52 or 62; digits otherwise).
    public var classes: CharacterClasses { CharacterClasses.withCount(probabilities.count) ?? .digits }
    /// The winning character: "7" for a digit model, "a" or "Q" for a letter model.
    public var symbol: Character { classes.symbol(digit) }
    /// The three most likely characters, most likely first.
    public var top3Symbols: [(symbol: Character, probability: Float)] {
        let set = classes
        return top3.map { (set.symbol($0.digit), $0.probability) }
    }
}
