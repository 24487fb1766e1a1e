import NumeralEngine

/// The smallest L∞ change of a digit's pixels found to change the model's reading, and what the
/// digit then reads as: how sure the model really is. Found by bisection on ε, attacking the model
/// as it predicts with PGD at each radius, so the radius is an upper bound of the true smallest one
/// (a stronger attack could only find a smaller one).
public struct SmallestFlip: Equatable, Sendable {
    /// The radius: no pixel value (in [0, 1]) changed by more than this.
    public var epsilon: Float
    /// What the model read before, and after the change.
    public var reading: Int
    public var becomes: Int
    public var confidence: Float
    /// The changed 28×28 input, row by row.
    public var perturbed: [Float]
    /// The attack used at every radius (its ε is the last one tried).
    public var attack: AttackSettings

    public init(epsilon: Float, reading: Int, becomes: Int, confidence: Float, perturbed: [Float], attack: AttackSettings) {
        self.epsilon = epsilon
        self.reading = reading
        self.becomes = becomes
        self.confidence = confidence
        self.perturbed = perturbed
        self.attack = attack
    }

    /// Searches radii up to `maxEpsilon` to within `precision`; nil when even `maxEpsilon` does not
    /// change the reading.
    public static func find(model: DigitModel, pixels: [Float], maxEpsilon: Float = 0.5, steps: Int = 20,
                            precision: Float = 0.005, seed: UInt64 = 0) throws -> SmallestFlip? {
        precondition(pixels.count == LabeledImages.pixelsPerImage, "a 28x28 image has 784 pixels")
        let probabilities = model.predict(pixels)
        let reading = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        let target = try InputGradient(model.network)
        func attack(_ epsilon: Float) throws -> SmallestFlip? {
            let settings = AttackSettings.pgd(epsilon: epsilon, steps: steps, seed: seed)
            let r = try settings.run(on: target, images: pixels, labels: [reading], sampleShape: [1, 28, 28],
                                     classes: model.card.architecture.classes)
            guard r.predictions[0] != reading else { return nil }
            return SmallestFlip(epsilon: epsilon, reading: reading, becomes: r.predictions[0], confidence: r.confidences[0],
                                perturbed: Array(r.adversarialSample(0)), attack: settings)
        }
        guard var best = try attack(maxEpsilon) else { return nil }
        var lo: Float = 0, hi = maxEpsilon
        while hi - lo > precision {
            let mid = (lo + hi) / 2
            if let flip = try attack(mid) {
                best = flip
                hi = mid
            } else {
                lo = mid
            }
        }
        return best
    }
}
