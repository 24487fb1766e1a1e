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
    case finished(ImprovementReport)
    /// Stopped by Cancel; the message says nothing changed.
    case cancelled(String)
    /// Refused or failed (not enough feedback, no MNIST files...), with what to do about it.
    case failed(String)
}
