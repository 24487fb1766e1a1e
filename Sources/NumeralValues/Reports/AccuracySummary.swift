/// Feedback-based accuracy: `correct` of `labelled` records had the prediction confirmed.
public struct AccuracySummary: Codable, Equatable, Sendable {
    public var labelled: Int
    public var correct: Int
    /// nil when nothing has feedback yet (not 0, which would read as "always wrong").
    public var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }

    public init(labelled: Int, correct: Int) {
        self.labelled = labelled
        self.correct = correct
    }

    private enum CodingKeys: String, CodingKey { case labelled, correct, accuracy }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labelled = try c.decode(Int.self, forKey: .labelled)
        correct = try c.decode(Int.self, forKey: .correct)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(labelled, forKey: .labelled)
        try c.encode(correct, forKey: .correct)
        try c.encode(accuracy, forKey: .accuracy)
    }
}
