import ArgumentParser
import NumeralEngine

/// `numeral eval --attack …`: which adversarial attack to run and with what settings.
struct AttackOptions: ParsableArguments {
    @Option(name: .customLong("attack"), help: ArgumentHelp(
        "Measure robustness on the first --count MNIST test digits: fgsm, pgd, or square (a gradient-free score-based random search that masked gradients cannot stop).",
        valueName: "fgsm|pgd|square"))
    var method: AttackSettings.Method?
    @Option(help: "The perturbation's radius: the largest change of a pixel value in [0, 1] for linf, the change's Euclidean length for l2.")
    var epsilon: Float?
    @Option(help: "PGD's steps (default 40); the square attack's queries (default 1000). FGSM takes one.")
    var steps: Int?
    @Option(help: "Runs from new random starts for the digits no earlier run fooled.") var restarts = 1
    @Option(help: "linf or l2 (the square attack is linf only).") var norm: AttackNorm = .linf
    @Option(help: "PGD's step size (default 2.5·ε/steps).") var stepSize: Float?
    @Flag(help: "PGD starts from the digit itself instead of a random point of the ε-ball.") var noRandomStart = false
    @Option(help: "Seed of the attack's random draws; the same seed gives the same result.") var attackSeed: UInt64 = 0
    @Option(help: "With --attack: the first N MNIST test digits (0 = all 10,000).") var count = 1000
    @Option(help: "With --attack: write the first 25 digits, clean and attacked, with their readings, as a PNG here.")
    var sheet: String?
    @Flag(help: "With --attack: record the measurement in the model's card (the .json beside its weights).")
    var record = false

    var settings: AttackSettings? {
        guard let method, let epsilon else { return nil }
        switch method {
        case .fgsm:
            return .fgsm(epsilon: epsilon, norm: norm, seed: attackSeed)
        case .pgd:
            return .pgd(epsilon: epsilon, steps: steps ?? 40, stepSize: stepSize, restarts: restarts, norm: norm,
                        randomStart: !noRandomStart, seed: attackSeed)
        case .square:
            var s = AttackSettings.square(epsilon: epsilon, queries: steps ?? 1000, restarts: restarts, seed: attackSeed)
            s.norm = norm
            return s
        }
    }

    func validate(otherSources: Bool, limit: Int, tta: Bool) throws {
        guard let method else {
            if epsilon != nil || steps != nil || stepSize != nil || sheet != nil || record || restarts != 1 || noRandomStart {
                throw ValidationError("--epsilon, --steps, --restarts, --step-size, --sheet and --record go with --attack fgsm|pgd|square")
            }
            return
        }
        guard epsilon != nil else { throw ValidationError("--attack needs --epsilon, e.g. --epsilon 0.1 (pixel values are in [0, 1])") }
        if otherSources { throw ValidationError("--attack measures MNIST test digits; leave out --photos, --stretched-scans, --narrow and --pen-digits") }
        if limit != 0 { throw ValidationError("with --attack, say how many digits with --count N, not --limit") }
        if tta { throw ValidationError("--tta does not apply to --attack") }
        if method == .fgsm, steps != nil || stepSize != nil || restarts != 1 || noRandomStart {
            throw ValidationError("FGSM is one step of ε from the digit: --steps, --step-size, --restarts and --no-random-start are for --attack pgd")
        }
        if method == .square, stepSize != nil || noRandomStart {
            throw ValidationError("the square attack takes no step size and always starts from random stripes; --steps sets its queries")
        }
        guard count >= 0 else { throw ValidationError("--count takes 0 (all) or a positive number") }
        if let settings {
            do { try settings.validate() } catch { throw ValidationError("\(error)") }
        }
    }
}

extension AttackSettings.Method: ExpressibleByArgument {}
extension AttackNorm: ExpressibleByArgument {}
