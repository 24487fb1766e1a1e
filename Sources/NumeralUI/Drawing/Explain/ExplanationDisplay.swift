import NumeralVision

/// Why the model answered what it did for one digit, as the window shows it: evidence maps over
/// the 28×28 input for the winner and the runner-up (positive = ink that speaks for the digit,
/// negative = against, scaled to ±1) and the first convolutions' feature maps as tiles.
public struct ExplanationDisplay: Equatable, Sendable {
    public var winner: Int
    public var runnerUp: Int
    public var input: GrayImage
    public var winnerMap: [Float]
    public var runnerUpMap: [Float]
    /// One tile per channel of the first convolutions, each scaled to 0...1.
    public var tiles: [GrayImage]

    public init(winner: Int, runnerUp: Int, input: GrayImage, winnerMap: [Float], runnerUpMap: [Float], tiles: [GrayImage]) {
        self.winner = winner
        self.runnerUp = runnerUp
        self.input = input
        self.winnerMap = winnerMap
        self.runnerUpMap = runnerUpMap
        self.tiles = tiles
    }

    /// One plain sentence on how to read the maps, for visitors.
    /// One plain line for both maps, as visitors see them: each map's red is ink that speaks for
    /// the digit named under it, its blue ink against that digit.
    public var howToRead: String {
        "Red: ink for \(winner) (left) or for \(runnerUp) (right). Blue: ink against it."
    }
}

/// The explanations for the prediction on screen, one per digit.
public struct ShownExplanation: Equatable, Sendable {
    /// The `ShownPrediction.revision` they explain: one drawing's record keeps its serial as
    /// strokes are added, but every prediction shown has its own revision.
    public var revision: Int
    public var digits: [ExplanationDisplay]

    public init(revision: Int, digits: [ExplanationDisplay]) {
        self.revision = revision
        self.digits = digits
    }
}
