import NumeralVision

/// Accuracy on labelled characters of one set: exact (case counts), case-folded ("o" for "O" is
/// right) and which pairs are confused most, counted as expected → read.
public struct CharacterEvaluation: Equatable, Sendable {
    public let classes: CharacterClasses
    public private(set) var count = 0
    public private(set) var exact = 0
    public private(set) var folded = 0
    /// Characters that could not be read at all (e.g. an empty drawing); counted as wrong.
    public private(set) var unreadable = 0
    private var confusions: [String: Int] = [:]
    /// Characters whose two cases differ in shape (every digit, and letters outside
    /// `CharacterClasses.sharedShapeLetters`), and how many of them were read in the right case.
    public private(set) var distinctShapeCount = 0
    public private(set) var distinctShapeExact = 0

    public struct Confusion: Equatable, Sendable {
        public var expected: Character
        public var read: Character
        public var count: Int
    }

    public init(classes: CharacterClasses) { self.classes = classes }

    public var exactAccuracy: Double { count > 0 ? Double(exact) / Double(count) : 0 }
    public var caseFoldedAccuracy: Double { count > 0 ? Double(folded) / Double(count) : 0 }
    /// Exact-case accuracy on the characters whose cases differ in shape (c k o p s u v w x y z
    /// and their capitals left out: on its own, one of those cannot show its case).
    public var distinctShapeExactAccuracy: Double {
        distinctShapeCount > 0 ? Double(distinctShapeExact) / Double(distinctShapeCount) : 0
    }

    /// One reading of a character whose true class is `label` (an output index of `classes`).
    public mutating func record(label: Int, read: Int) {
        count += 1
        let expected = classes.symbol(label), got = classes.symbol(read)
        if label == read { exact += 1 }
        if CharacterClasses.folded(expected) == CharacterClasses.folded(got) { folded += 1 }
        if label != read { confusions[String([expected, got]), default: 0] += 1 }
        if !CharacterClasses.sharedShapeLetters.contains(CharacterClasses.folded(expected)) {
            distinctShapeCount += 1
            if label == read { distinctShapeExact += 1 }
        }
    }

    /// A character that could not be read: wrong both ways.
    public mutating func recordUnreadable(label: Int? = nil) {
        count += 1
        unreadable += 1
        if let label, !CharacterClasses.sharedShapeLetters.contains(CharacterClasses.folded(classes.symbol(label))) {
            distinctShapeCount += 1
        }
    }

    /// The `limit` most frequent confusions, most frequent first (ties in character order).
    /// With `ignoringCase`, a letter read as its other case is not listed.
    public func mostConfused(_ limit: Int, ignoringCase: Bool = false) -> [Confusion] {
        let list = confusions.compactMap { key, n -> Confusion? in
            let pair = Array(key)
            if ignoringCase, CharacterClasses.folded(pair[0]) == CharacterClasses.folded(pair[1]) { return nil }
            return Confusion(expected: pair[0], read: pair[1], count: n)
        }
        return Array(list.sorted {
            $0.count != $1.count ? $0.count > $1.count : String([$0.expected, $0.read]) < String([$1.expected, $1.read])
        }.prefix(limit))
    }

    /// The trajectory model alone on whole drawings (labels are output indices of its set).
    public static func of(_ model: PenTrajectoryModel, on samples: [PenSample]) -> CharacterEvaluation {
        var evaluation = CharacterEvaluation(classes: model.classes)
        for sample in samples {
            guard let p = try? model.predict(sample.drawing), let best = p.indices.max(by: { p[$0] < p[$1] }) else {
                evaluation.recordUnreadable()
                continue
            }
            evaluation.record(label: sample.label, read: best)
        }
        return evaluation
    }
}
