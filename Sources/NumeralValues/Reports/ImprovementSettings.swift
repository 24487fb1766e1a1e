/// How a fine-tune from feedback runs and what it must achieve to be adopted.
public struct ImprovementSettings: Codable, Equatable, Sendable {
    public var epochs: Int
    /// Small, so the fine-tune nudges the model rather than retraining it. On the shipped model, 3e-4
    /// learned a slanted writer slightly better than 1e-4 but cost 0.2 points of MNIST accuracy
    /// (a candidate the guardrail refuses); 1e-4 cost none.
    public var learningRate: Float
    public var batchSize: Int
    public var weightDecay: Float
    public var labelSmoothing: Float
    /// Training feedback is repeated (augmented differently each time) until an epoch holds this many
    /// feedback images. With the other defaults, 3 epochs of 512 taught the shipped model a slanted
    /// writer (held-out 90.9% -> 97.5%) at no MNIST cost; 4 of 1024 learned a little more but cost
    /// 0.11 points, which the guardrail refuses.
    public var feedbackImagesPerEpoch: Int
    /// Replayed MNIST training images per feedback image in an epoch: 1 makes batches half each.
    /// The default 3 (a quarter feedback) learned a strongly slanted writer about as well as 1 did in
    /// the same number of feedback images, but kept MNIST accuracy where 1 lost up to a point on a small model.
    public var replayRatio: Int
    /// Share of the feedback kept out of training to judge the candidate.
    public var heldOutFraction: Double
    public var minimumHeldOutPerDigit: Int
    /// Below this many usable single-digit records, improving is refused.
    public var minimumFeedback: Int
    /// How far below the shipped model (the root of the active model's lineage) a candidate's MNIST
    /// test accuracy may be, as a fraction (0.001 = 0.1 percentage points). Measured from the shipped
    /// model, not the active one, so repeated improvements cannot drift down step by step.
    public var maximumMNISTDrop: Double
    /// Evaluate on only the first N MNIST test images (nil = all 10,000). For tests and quick trials.
    public var mnistEvaluationLimit: Int?
    public var augment: Bool
    public var seed: UInt64

    public init(epochs: Int = 3, learningRate: Float = 1e-4, batchSize: Int = 64, weightDecay: Float = 1e-4,
                labelSmoothing: Float = 0.05, feedbackImagesPerEpoch: Int = 512, replayRatio: Int = 3, heldOutFraction: Double = 0.25,
                minimumHeldOutPerDigit: Int = 3, minimumFeedback: Int = 20, maximumMNISTDrop: Double = 0.001,
                mnistEvaluationLimit: Int? = nil, augment: Bool = true, seed: UInt64 = 2024) {
        self.epochs = epochs
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.weightDecay = weightDecay
        self.labelSmoothing = labelSmoothing
        self.feedbackImagesPerEpoch = feedbackImagesPerEpoch
        self.replayRatio = replayRatio
        self.heldOutFraction = heldOutFraction
        self.minimumHeldOutPerDigit = minimumHeldOutPerDigit
        self.minimumFeedback = minimumFeedback
        self.maximumMNISTDrop = maximumMNISTDrop
        self.mnistEvaluationLimit = mnistEvaluationLimit
        self.augment = augment
        self.seed = seed
    }
}
