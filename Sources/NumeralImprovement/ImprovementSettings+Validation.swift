extension ImprovementSettings {
    public func validate() throws {
        func fail(_ reason: String) -> ImprovementError { .invalidSettings(reason) }
        guard (1...100).contains(epochs) else { throw fail("epochs must be 1...100, got \(epochs)") }
        guard learningRate.isFinite, learningRate > 0, learningRate < 10 else {
            throw fail("the learning rate must be positive and below 10, got \(learningRate)")
        }
        guard (1...4096).contains(batchSize) else { throw fail("the batch size must be 1...4096, got \(batchSize)") }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw fail("weight decay must be >= 0") }
        guard labelSmoothing.isFinite, labelSmoothing >= 0, labelSmoothing < 1 else { throw fail("label smoothing must be in [0, 1)") }
        guard (1...1_000_000).contains(feedbackImagesPerEpoch) else {
            throw fail("feedback images per epoch must be 1...1000000, got \(feedbackImagesPerEpoch)")
        }
        guard (1...16).contains(replayRatio) else { throw fail("the replay ratio must be 1...16, got \(replayRatio)") }
        guard heldOutFraction.isFinite, heldOutFraction > 0, heldOutFraction < 1 else {
            throw fail("the held-out share must be between 0 and 1 (exclusive), got \(heldOutFraction)")
        }
        guard minimumHeldOutPerDigit >= 0 else { throw fail("the minimum held out per digit must be >= 0") }
        guard minimumFeedback >= 2 else { throw fail("at least 2 feedback records are needed to train and test, got \(minimumFeedback)") }
        guard maximumMNISTDrop.isFinite, maximumMNISTDrop >= 0, maximumMNISTDrop < 1 else {
            throw fail("the allowed MNIST accuracy drop must be in [0, 1), got \(maximumMNISTDrop)")
        }
        if let limit = mnistEvaluationLimit, limit < 1 { throw fail("the MNIST evaluation limit must be >= 1, got \(limit)") }
    }
}
