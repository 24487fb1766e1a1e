import NumeralEngine

/// One robustness measurement on a model card: the attack with all its settings, what it was run
/// on, and the accuracy before and under it.
public struct RobustnessRecord: Codable, Equatable, Sendable {
    public var attack: AttackSettings
    /// e.g. "mnist-test, first 1000".
    public var dataset: String
    public var count: Int
    public var cleanAccuracy: Double
    public var robustAccuracy: Double
    public var seconds: Double

    public init(attack: AttackSettings, dataset: String, count: Int, cleanAccuracy: Double, robustAccuracy: Double,
                seconds: Double) {
        self.attack = attack
        self.dataset = dataset
        self.count = count
        self.cleanAccuracy = cleanAccuracy
        self.robustAccuracy = robustAccuracy
        self.seconds = seconds
    }

    /// "PGD-40 L∞ ε=0.3 (…): 91.20% (clean 98.90%, mnist-test, first 1000)".
    public var summary: String {
        String(format: "%@: %.2f%% (clean %.2f%%, %@)", attack.summary, robustAccuracy * 100, cleanAccuracy * 100, dataset)
    }

    /// The card's metric name for this measurement, e.g. `robust_pgd40_linf_0.3`, so registries and
    /// tables that keep only numbers still see it.
    public var metricKey: String {
        let eps = AttackSettings.formatNumber(attack.epsilon)
        switch attack.method {
        case .fgsm: return "robust_fgsm_\(attack.norm.rawValue)_\(eps)"
        case .pgd: return "robust_pgd\(attack.steps)_\(attack.norm.rawValue)_\(eps)"
        case .square: return "robust_square\(attack.steps)_\(attack.norm.rawValue)_\(eps)"
        }
    }
}
