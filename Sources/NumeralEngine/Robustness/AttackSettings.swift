import Foundation

/// One adversarial attack, fully specified, so a measurement can be repeated and recorded on a
/// model card: the method, the norm and radius ε of the allowed perturbation (on pixel values in
/// [0, 1]), the number of steps (queries for the square attack), the step size, the restarts,
/// whether PGD starts from a random point of the ball, and the seed of every random draw.
public struct AttackSettings: Codable, Equatable, Sendable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// Fast gradient sign method (Goodfellow et al. 2015): one step of size ε from the image.
        case fgsm
        /// Projected gradient descent (Madry et al. 2018): repeated steps projected back onto the ε-ball.
        case pgd
        /// Square Attack (Andriushchenko et al. 2020): gradient-free random search on the model's
        /// scores, which masked or obfuscated gradients cannot stop.
        case square
    }

    public var method: Method
    public var norm: AttackNorm
    public var epsilon: Float
    /// PGD's iterations; FGSM takes 1; the square attack's query budget per restart.
    public var steps: Int
    /// PGD's step α (FGSM's is ε). Unused by the square attack.
    public var stepSize: Float
    /// Runs from new random starts for the samples no earlier run fooled.
    public var restarts: Int
    /// PGD starts from a uniformly random point of the ε-ball rather than from the image.
    public var randomStart: Bool
    public var seed: UInt64
    /// The square attack's initial share of the image covered by a square (0.8 for MNIST in the paper).
    public var squareFraction: Float?

    public init(method: Method, norm: AttackNorm, epsilon: Float, steps: Int, stepSize: Float, restarts: Int,
                randomStart: Bool, seed: UInt64, squareFraction: Float? = nil) {
        self.method = method
        self.norm = norm
        self.epsilon = epsilon
        self.steps = steps
        self.stepSize = stepSize
        self.restarts = restarts
        self.randomStart = randomStart
        self.seed = seed
        self.squareFraction = squareFraction
    }

    /// FGSM: one step of ε along the gradient's sign (L∞) or its direction (L2), no random start.
    public static func fgsm(epsilon: Float, norm: AttackNorm = .linf, seed: UInt64 = 0) -> AttackSettings {
        AttackSettings(method: .fgsm, norm: norm, epsilon: epsilon, steps: 1, stepSize: epsilon, restarts: 1,
                       randomStart: false, seed: seed)
    }

    /// PGD with Madry et al.'s step rule by default: α = 2.5·ε / steps, so the steps could cross the
    /// ball more than twice over.
    public static func pgd(epsilon: Float, steps: Int = 40, stepSize: Float? = nil, restarts: Int = 1,
                           norm: AttackNorm = .linf, randomStart: Bool = true, seed: UInt64 = 0) -> AttackSettings {
        AttackSettings(method: .pgd, norm: norm, epsilon: epsilon, steps: steps,
                       stepSize: stepSize ?? defaultStepSize(epsilon: epsilon, steps: steps), restarts: restarts,
                       randomStart: randomStart, seed: seed)
    }

    /// The square attack (L∞ only) with `queries` model evaluations per restart.
    public static func square(epsilon: Float, queries: Int = 1000, restarts: Int = 1, seed: UInt64 = 0,
                              squareFraction: Float = 0.8) -> AttackSettings {
        AttackSettings(method: .square, norm: .linf, epsilon: epsilon, steps: queries, stepSize: 0, restarts: restarts,
                       randomStart: true, seed: seed, squareFraction: squareFraction)
    }

    public static func defaultStepSize(epsilon: Float, steps: Int) -> Float { 2.5 * epsilon / Float(max(steps, 1)) }

    public func validate() throws {
        guard epsilon > 0, epsilon.isFinite, norm == .l2 || epsilon <= 1 else { throw AttackError.invalidEpsilon(epsilon, norm: norm) }
        guard (1...100_000).contains(steps) else { throw AttackError.invalidSteps(steps) }
        guard (1...100).contains(restarts) else { throw AttackError.invalidRestarts(restarts) }
        switch method {
        case .fgsm, .pgd:
            guard stepSize > 0, stepSize.isFinite else { throw AttackError.invalidStepSize(stepSize) }
        case .square:
            guard norm == .linf else { throw AttackError.unsupportedNorm(method: "square", norm: norm) }
            let p = squareFraction ?? 0.8
            guard p > 0, p <= 1 else { throw AttackError.invalidSquareFraction(p) }
        }
    }

    /// "PGD-40 L∞ ε=0.3 (step 0.0188, random start, 1 restart, seed 0)".
    public var summary: String {
        let normName = norm == .linf ? "L∞" : "L2"
        let eps = Self.formatNumber(epsilon)
        switch method {
        case .fgsm:
            return "FGSM \(normName) ε=\(eps)"
        case .pgd:
            return "PGD-\(steps) \(normName) ε=\(eps) (step \(Self.formatNumber(stepSize))\(randomStart ? ", random start" : ""), "
                + "\(restarts) restart\(restarts == 1 ? "" : "s"), seed \(seed))"
        case .square:
            return "Square \(normName) ε=\(eps) (\(steps) queries, p=\(Self.formatNumber(squareFraction ?? 0.8)), "
                + "\(restarts) restart\(restarts == 1 ? "" : "s"), seed \(seed))"
        }
    }

    public static func formatNumber(_ v: Float) -> String {
        var s = String(format: "%.4f", Double(v))
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Runs the attack on `images` (samples of `sampleShape` one after another, pixel values in
    /// [0, 1]) with their labels, `batchSize` samples per forward pass.
    public func run(on model: AttackModel, images: [Float], labels: [Int], sampleShape: [Int], classes: Int,
                    batchSize: Int = 100) throws -> AttackResult {
        try validate()
        let features = sampleShape.reduce(1, *)
        guard features > 0, images.count % features == 0 else {
            throw AttackError.inputMismatch(values: images.count, featuresPerSample: features)
        }
        guard images.count / features == labels.count else {
            throw AttackError.labelMismatch(samples: images.count / features, labels: labels.count)
        }
        if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
            throw AttackError.labelOutOfRange(label: bad, classes: classes)
        }
        switch method {
        case .fgsm, .pgd:
            return GradientAttack(settings: self).run(on: model, images: images, labels: labels, sampleShape: sampleShape,
                                                       batchSize: batchSize)
        case .square:
            return SquareAttack(settings: self).run(on: model, images: images, labels: labels, sampleShape: sampleShape,
                                                     batchSize: batchSize)
        }
    }
}
