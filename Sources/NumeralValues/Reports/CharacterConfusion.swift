/// "`actual` was read as `predicted`, `count` times", for single characters where either is a
/// letter (the digits' pairs are `ConfusedPair`, from the 10×10 matrix).
public struct CharacterConfusion: Codable, Equatable, Sendable {
    public var actual: String
    public var predicted: String
    public var count: Int

    public init(actual: String, predicted: String, count: Int) {
        self.actual = actual
        self.predicted = predicted
        self.count = count
    }

    /// Whether a labelled single-character reading is a letter confusion: one character each,
    /// different, and not both digits.
    public static func isLetterConfusion(actual: String, predicted: String) -> Bool {
        actual.unicodeScalars.count == 1 && predicted.unicodeScalars.count == 1 && actual != predicted
            && !(Int(actual) != nil && Int(predicted) != nil)
    }

    /// The pairs with a count, most frequent first (ties: by actual, then predicted), at most `limit`.
    public static func ranked(_ counts: [String: Int], limit: Int) -> [CharacterConfusion] {
        let pairs = counts.compactMap { key, n -> CharacterConfusion? in
            let parts = Array(key.unicodeScalars)
            guard parts.count == 2, n > 0 else { return nil }
            return CharacterConfusion(actual: String(parts[0]), predicted: String(parts[1]), count: n)
        }
        return Array(pairs.sorted { ($1.count, $0.actual, $0.predicted) < ($0.count, $1.actual, $1.predicted) }.prefix(max(0, limit)))
    }
}
