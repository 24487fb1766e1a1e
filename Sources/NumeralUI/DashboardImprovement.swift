/// The outcome of one improvement run as the dashboard shows it: plain numbers, so the UI state
/// needs none of the model code that produced them.
public struct ImprovementSummary: Equatable, Sendable {
    public var parentID: String
    public var candidateID: String
    public var adopted: Bool
    /// Why it was adopted or kept aside, in a sentence.
    public var reason: String
    /// Feedback drawings the candidate was trained on.
    public var trainedOn: Int
    public var heldOut: SetAccuracy
    public var mnistTest: SetAccuracy
    public var seconds: Double

    /// Accuracy on one evaluation set before and after, as fractions 0...1.
    public struct SetAccuracy: Equatable, Sendable {
        public var count: Int
        public var before: Double
        public var after: Double
        public init(count: Int, before: Double, after: Double) {
            self.count = count
            self.before = before
            self.after = after
        }
        /// After minus before, in percentage points.
        public var changePoints: Double { (after - before) * 100 }
    }

    public init(parentID: String, candidateID: String, adopted: Bool, reason: String, trainedOn: Int,
                heldOut: SetAccuracy, mnistTest: SetAccuracy, seconds: Double) {
        self.parentID = parentID
        self.candidateID = candidateID
        self.adopted = adopted
        self.reason = reason
        self.trainedOn = trainedOn
        self.heldOut = heldOut
        self.mnistTest = mnistTest
        self.seconds = seconds
    }
}

/// An improvement running in the background, as far as the progress bar knows.
public struct ImprovementRun: Equatable, Sendable {
    /// What it is doing now ("Fine-tuning, epoch 2 of 3").
    public var phase: String
    /// Of the whole run, 0...1.
    public var fraction: Double
    /// The user pressed Cancel; the run stops at its next check.
    public var cancelRequested: Bool

    public init(phase: String, fraction: Double, cancelRequested: Bool = false) {
        self.phase = phase
        self.fraction = fraction
        self.cancelRequested = cancelRequested
    }
}

/// How an improvement run ended.
public enum ImprovementOutcome: Equatable, Sendable {
    case finished(ImprovementSummary)
    /// Stopped by Cancel; the message says nothing changed.
    case cancelled(String)
    /// Refused or failed (not enough feedback, no MNIST files...), with what to do about it.
    case failed(String)
}
