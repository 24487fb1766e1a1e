/// Correct answers of the current model and of the candidate on one evaluation set.
public struct AccuracyChange: Codable, Equatable, Sendable {
    public var count: Int
    public var correctBefore: Int
    public var correctAfter: Int
    /// Stored as well as derivable, so JSON readers (the dashboard, scripts) need no arithmetic.
    public var before: Double
    public var after: Double

    public init(count: Int, correctBefore: Int, correctAfter: Int) {
        self.count = count
        self.correctBefore = correctBefore
        self.correctAfter = correctAfter
        before = count > 0 ? Double(correctBefore) / Double(count) : 0
        after = count > 0 ? Double(correctAfter) / Double(count) : 0
    }

    /// After minus before, in percentage points.
    public var changePoints: Double { (after - before) * 100 }
}
