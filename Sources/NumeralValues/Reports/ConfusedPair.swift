/// "Digit `actual` was read as `predicted`, `count` times."
public struct ConfusedPair: Codable, Equatable, Sendable {
    public var actual: Int
    public var predicted: Int
    public var count: Int

    public init(actual: Int, predicted: Int, count: Int) {
        self.actual = actual
        self.predicted = predicted
        self.count = count
    }
}
