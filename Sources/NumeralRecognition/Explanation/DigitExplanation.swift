/// Why the model answered what it did for one digit.
///
/// The maps are over the 28×28 model input, row by row, scaled so the largest magnitude is 1:
/// each pixel's ink times the gradient of the class's log-probability with respect to that pixel
/// (gradient × input). Positive means this ink speaks for the class (removing it would lower its
/// probability), negative that it speaks against it; pixels without ink are 0. Because the
/// gradient is of the log-probability, each map weighs the class against the others: the
/// runner-up's map shows what made it a runner-up and what kept it from winning.
public struct DigitExplanation: Equatable, Sendable {
    /// The verdict explained, with the input the model saw.
    public var prediction: DigitPrediction
    public var winner: Int
    public var runnerUp: Int
    public var winnerMap: [Float]
    public var runnerUpMap: [Float]
    /// The first convolutions' activated feature maps, first convolution first.
    public var featureMaps: [FeatureMaps]

    public init(prediction: DigitPrediction, winner: Int, runnerUp: Int, winnerMap: [Float], runnerUpMap: [Float],
                featureMaps: [FeatureMaps]) {
        self.prediction = prediction
        self.winner = winner
        self.runnerUp = runnerUp
        self.winnerMap = winnerMap
        self.runnerUpMap = runnerUpMap
        self.featureMaps = featureMaps
    }
}
