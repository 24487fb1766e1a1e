/// What can be wrong with an attack's settings or inputs, said so the caller knows what to change.
public enum AttackError: Error, CustomStringConvertible, Equatable {
    case invalidEpsilon(Float, norm: AttackNorm)
    case invalidSteps(Int)
    case invalidRestarts(Int)
    case invalidStepSize(Float)
    case unsupportedNorm(method: String, norm: AttackNorm)
    case invalidSquareFraction(Float)
    case inputMismatch(values: Int, featuresPerSample: Int)
    case labelMismatch(samples: Int, labels: Int)
    case labelOutOfRange(label: Int, classes: Int)

    public var description: String {
        switch self {
        case let .invalidEpsilon(e, norm):
            let limit = norm == .linf ? "at most 1 for L∞ (pixels are in [0, 1])" : "finite"
            return "The attack's epsilon must be positive and \(limit); \(e) was given. Try --epsilon 0.1."
        case let .invalidSteps(n):
            return "The attack needs 1 to 100000 steps (queries for square); \(n) were given."
        case let .invalidRestarts(n):
            return "The attack needs 1 to 100 restarts; \(n) were given."
        case let .invalidStepSize(s):
            return "The attack's step size must be positive and finite; \(s) was given (leave --step-size out for 2.5·ε/steps)."
        case let .unsupportedNorm(method, norm):
            return "The \(method) attack is implemented for the L∞ norm only, not \(norm.rawValue); use --norm linf or --attack pgd."
        case let .invalidSquareFraction(p):
            return "The square attack's initial square fraction must be in (0, 1]; \(p) was given."
        case let .inputMismatch(values, features):
            return "The attack was given \(values) input values, not a whole number of samples of \(features) values each."
        case let .labelMismatch(samples, labels):
            return "The attack was given \(samples) samples but \(labels) labels; give one label per sample."
        case let .labelOutOfRange(label, classes):
            return "Label \(label) is not one of the model's \(classes) classes."
        }
    }
}
