import NumeralEngine

/// Adversarial training: every batch is replaced (or, for TRADES, accompanied) by adversarial
/// examples crafted against the network as it trains, within an L∞ ball of radius ε on pixel
/// values in [0, 1].
///
/// * `fgsm-rs` — "Fast is better than free" (Wong et al. 2020): a uniform random start in the ball,
///   one signed gradient step of α (1.25·ε by default), trained on the result; about twice the cost
///   of plain training.
/// * `pgd` — Madry et al. 2018: `steps` projected steps of α (2.5·ε/steps by default) from a random
///   start; about steps + 1 times the cost.
/// * `trades` — Zhang et al. 2019: cross-entropy on the clean batch plus β · KL(clean ‖ adversarial),
///   the adversarial example maximizing that divergence by `steps` projected steps from the image
///   plus 0.001·N(0, 1) noise. The clean and adversarial batches go through the network as one batch,
///   so batch norm normalizes both with their joint statistics.
public struct AdversarialTraining: Codable, Equatable, Sendable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        case fgsmRS = "fgsm-rs", pgd, trades
    }

    public var method: Method
    public var epsilon: Float
    public var steps: Int
    public var stepSize: Float
    /// TRADES' weight of the divergence term (6 in the paper); nil for the other methods.
    public var beta: Float?
    /// ε grows linearly from 0 to its value over these epochs (0 or nil: full ε from the start).
    public var warmupEpochs: Double?

    public init(method: Method, epsilon: Float, steps: Int? = nil, stepSize: Float? = nil, beta: Float? = nil,
                warmupEpochs: Double? = nil) {
        self.method = method
        self.epsilon = epsilon
        switch method {
        case .fgsmRS:
            self.steps = steps ?? 1
            self.stepSize = stepSize ?? 1.25 * epsilon
            self.beta = nil
        case .pgd:
            self.steps = steps ?? 10
            self.stepSize = stepSize ?? AttackSettings.defaultStepSize(epsilon: epsilon, steps: steps ?? 10)
            self.beta = nil
        case .trades:
            self.steps = steps ?? 10
            self.stepSize = stepSize ?? AttackSettings.defaultStepSize(epsilon: epsilon, steps: steps ?? 10)
            self.beta = beta ?? 6
        }
        self.warmupEpochs = warmupEpochs
    }

    public func validate() throws {
        guard epsilon > 0, epsilon <= 1 else {
            throw RecognitionError.invalidTrainingConfiguration("the adversarial epsilon must be in (0, 1] (pixel values are in [0, 1]), e.g. --adv-epsilon 0.3")
        }
        guard (1...100).contains(steps) else {
            throw RecognitionError.invalidTrainingConfiguration("adversarial steps must be 1...100")
        }
        if method == .fgsmRS, steps != 1 {
            throw RecognitionError.invalidTrainingConfiguration("fgsm-rs takes exactly one step; use --adversarial pgd for several")
        }
        guard stepSize > 0, stepSize.isFinite else {
            throw RecognitionError.invalidTrainingConfiguration("the adversarial step size must be positive")
        }
        if let beta, !(beta >= 0 && beta.isFinite) {
            throw RecognitionError.invalidTrainingConfiguration("the TRADES beta must be >= 0")
        }
        if let w = warmupEpochs, !(w >= 0 && w.isFinite) {
            throw RecognitionError.invalidTrainingConfiguration("the adversarial warm-up must be >= 0 epochs")
        }
    }

    /// ε after `step` of `stepsPerEpoch`-step epochs (the ramp of `warmupEpochs`).
    public func epsilon(atStep step: Int, stepsPerEpoch: Int) -> Float {
        guard let w = warmupEpochs, w > 0 else { return epsilon }
        let progress = Double(step + 1) / (w * Double(max(stepsPerEpoch, 1)))
        return epsilon * Float(min(1, progress))
    }

    /// "fgsm-rs ε=0.3 α=0.375".
    public var summary: String {
        var s = "\(method.rawValue) ε=\(epsilon) α=\(stepSize)"
        if method != .fgsmRS { s += ", \(steps) steps" }
        if let beta { s += ", β=\(beta)" }
        if let w = warmupEpochs, w > 0 { s += ", ε ramped over \(w) epochs" }
        return s
    }
}
