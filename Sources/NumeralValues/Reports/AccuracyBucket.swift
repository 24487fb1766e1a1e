import Foundation

/// Accuracy of the records whose timestamps fall in [start, start + one granularity unit).
public struct AccuracyBucket: Codable, Equatable, Sendable {
    public var start: Date
    public var labelled: Int
    public var correct: Int
    public var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }

    public init(start: Date, labelled: Int, correct: Int) {
        self.start = start
        self.labelled = labelled
        self.correct = correct
    }

    private enum CodingKeys: String, CodingKey { case start, labelled, correct, accuracy }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        start = try c.decode(Date.self, forKey: .start)
        labelled = try c.decode(Int.self, forKey: .labelled)
        correct = try c.decode(Int.self, forKey: .correct)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode(labelled, forKey: .labelled)
        try c.encode(correct, forKey: .correct)
        try c.encode(accuracy, forKey: .accuracy)
    }
}
