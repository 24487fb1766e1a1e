import NumeralRecognition

/// Where a running improvement is, for a progress bar.
public struct ImprovementProgress: Sendable {
    public enum Stage: String, Sendable {
        case evaluatingBefore = "evaluating the current model"
        case training = "fine-tuning"
        case evaluatingAfter = "evaluating the candidate"
        case saving = "saving"
    }

    public var stage: Stage
    /// Of the whole run, 0...1.
    public var fraction: Double
    /// Set while training: the trainer's own report (epoch, batch, loss...).
    public var training: TrainingProgress?

    public init(stage: Stage, fraction: Double, training: TrainingProgress? = nil) {
        self.stage = stage
        self.fraction = min(max(fraction, 0), 1)
        self.training = training
    }

    /// Share of the run each stage takes, roughly its share of the work with default settings.
    static func overall(_ stage: Stage, _ withinStage: Double) -> Double {
        let (start, width): (Double, Double)
        switch stage {
        case .evaluatingBefore: (start, width) = (0, 0.15)
        case .training: (start, width) = (0.15, 0.7)
        case .evaluatingAfter: (start, width) = (0.85, 0.13)
        case .saving: (start, width) = (0.98, 0.02)
        }
        return start + width * min(max(withinStage, 0), 1)
    }
}
