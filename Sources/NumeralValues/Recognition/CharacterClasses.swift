/// Which characters a model reads: the digits (the default and today's behaviour), the letters a–z
/// and A–Z, or both. A model's outputs are this set's symbols in order; a model card records its set
/// and a model is only ever used for the set it was trained on.
public enum CharacterClasses: String, Codable, CaseIterable, Sendable {
    /// 0–9.
    case digits
    /// a–z, then A–Z.
    case letters
    /// 0–9, a–z, A–Z (the DigiLeTs order).
    case alphanumeric

    public static let digitSymbols: [Character] = Array("0123456789")
    public static let lowercaseSymbols: [Character] = Array("abcdefghijklmnopqrstuvwxyz")
    public static let uppercaseSymbols: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// Letters whose lowercase and uppercase forms share a shape and differ mainly in size: on its
    /// own, one of these cannot be told apart by case from the character alone.
    public static let sharedShapeLetters: Set<Character> = Set("ckopsuvwxyz")

    /// The model's outputs, in order.
    public var symbols: [Character] {
        switch self {
        case .digits: return Self.digitSymbols
        case .letters: return Self.lowercaseSymbols + Self.uppercaseSymbols
        case .alphanumeric: return Self.digitSymbols + Self.lowercaseSymbols + Self.uppercaseSymbols
        }
    }

    /// Number of classes: 10, 52 or 62.
    public var count: Int {
        switch self {
        case .digits: return 10
        case .letters: return 52
        case .alphanumeric: return 62
        }
    }

    /// The symbol of output `index`; "?" outside the set (never for a checked model's output).
    public func symbol(_ index: Int) -> Character {
        let all = symbols
        return all.indices.contains(index) ? all[index] : "?"
    }

    /// The output index of `symbol`, or nil when the set does not read it.
    public func index(of symbol: Character) -> Int? { symbols.firstIndex(of: symbol) }

    /// The set whose model has `count` outputs (nil for any other count).
    public static func withCount(_ count: Int) -> CharacterClasses? { allCases.first { $0.count == count } }

    /// The set as the window names it: "digits", "letters", "letters and digits".
    public var displayName: String {
        switch self {
        case .digits: return "digits"
        case .letters: return "letters"
        case .alphanumeric: return "letters and digits"
        }
    }

    /// What the user reads in a list of sets: "digits, letters or alphanumeric".
    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// A character with its case dropped: how case-folded accuracy compares readings.
    public static func folded(_ symbol: Character) -> Character { Character(symbol.lowercased()) }
}
