import Foundation
import NumeralEngine
import NumeralVision

/// Explains a model's answers digit by digit: saliency maps for the winner and the runner-up
/// from the engine's own backward pass, and the first convolutions' feature maps.
///
/// The maps are computed on the model as it predicts (batch norm folded with its running
/// statistics, no dropout), so they explain exactly the answer the person saw. Not thread-safe;
/// one per queue, like the model.
public final class Explainer {
    public let modelID: String
    /// How many of the first convolutions' feature maps to return.
    public let featureMapConvolutions: Int
    /// SmoothGrad: the gradient averaged over this many copies of the input with Gaussian noise
    /// (σ = `smoothingNoise`); 0 (the default: each copy costs a forward and two backward passes,
    /// and the Explain view must stay live) uses the input itself.
    public let smoothingSamples: Int
    public let smoothingNoise: Float
    /// The gradient blurred over about a stroke's width (binomial 3×3, twice) before it is
    /// multiplied by the ink, so the map reads as strokes, not pixels; false gives the exact gradient.
    public let blurs: Bool
    private let probe: InputGradient
    private let input = Tensor(shape: [1, 1, 28, 28])

    public init(model: DigitModel, featureMapConvolutions: Int = 2, smoothingSamples: Int = 0, smoothingNoise: Float = 0.15,
                blurs: Bool = true) throws {
        probe = try InputGradient(model.network)
        modelID = model.id
        self.featureMapConvolutions = max(0, min(featureMapConvolutions, probe.convolutionOutputs.count))
        self.smoothingSamples = max(0, smoothingSamples)
        self.smoothingNoise = smoothingNoise
        self.blurs = blurs
    }

    /// Explains one digit image that is model input (28×28, ink = 1).
    public func explain(image: GrayImage) throws -> DigitExplanation {
        guard image.width == 28, image.height == 28 else {
            throw RecognitionError.invalidInput("an explanation needs the 28×28 model input, got \(image.width)×\(image.height)")
        }
        input.copy(from: image.pixels)
        let logits = probe.forward(input).array
        let probabilities = Softmax.probabilities(logits)
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        let winner = order[0], runnerUp = order[1]
        let maps = featureMaps()
        let evidenceMaps = try evidence(for: [winner, runnerUp], classes: probabilities.count, image: image)
        let winnerMap = evidenceMaps[0], runnerUpMap = evidenceMaps[1]
        return DigitExplanation(prediction: DigitPrediction(probabilities: probabilities, input: image),
                                winner: winner, runnerUp: runnerUp, winnerMap: winnerMap, runnerUpMap: runnerUpMap,
                                featureMaps: maps)
    }

    /// Explains every digit of a recognition (a number gives one explanation per digit), from the
    /// inputs the model saw.
    public func explain(_ recognition: Recognition) throws -> [DigitExplanation] {
        try recognition.digits.map { try explain(image: $0.input) }
    }

    /// Gradient × input of the class's logit against the mean of the other logits
    /// (log p(class) − the mean log-probability of the others), scaled so the largest magnitude
    /// is 1. Unlike log p(class), whose gradient vanishes when the model is sure (what was left
    /// was speckle, and "why 3" and "why not 9" were near mirror images, both made of the same
    /// two logits), this contrast keeps each class's own evidence: where the ink makes it that
    /// digit rather than any other. Blurred to a stroke's width, and averaged over noisy copies
    /// (SmoothGrad) when asked: one map per class in `chosen`, from the same passes.
    private func evidence(for chosen: [Int], classes: Int, image: GrayImage) throws -> [[Float]] {
        let weights = chosen.map { cls -> [Float] in
            var w = [Float](repeating: -1 / Float(max(1, classes - 1)), count: classes)
            w[cls] = 1
            return w
        }
        var gradients = chosen.map { _ in [Float](repeating: 0, count: image.pixels.count) }
        func accumulate() throws {
            for (k, w) in weights.enumerated() {
                let g = try probe.inputGradient(weights: w).array
                for i in gradients[k].indices { gradients[k][i] += g[i] }
            }
        }
        if smoothingSamples == 0 {
            input.copy(from: image.pixels)
            _ = probe.forward(input)
            try accumulate()
        } else {
            // A fixed seed per image: the same drawing always gets the same map.
            var random = SplitMix64(seed: UInt64(truncatingIfNeeded: image.pixels.reduce(0) { $0 &* 31 &+ Int($1 * 255) }))
            var noisy = image.pixels
            for _ in 0..<smoothingSamples {
                for i in noisy.indices { noisy[i] = image.pixels[i] + smoothingNoise * Self.gaussian(&random) }
                input.copy(from: noisy)
                _ = probe.forward(input)
                try accumulate()
            }
            // Leave the probe on the real input, as the feature maps and the answer were.
            input.copy(from: image.pixels)
            _ = probe.forward(input)
        }
        return gradients.map { raw in
            // Read at the scale of a stroke, not a pixel: the gradient blurred (binomial 3×3, twice).
            let gradient = blurs ? Self.blurred(Self.blurred(raw, side: image.width), side: image.width) : raw
            var map = [Float](repeating: 0, count: image.pixels.count)
            var peak: Float = 0
            for i in 0..<map.count {
                map[i] = gradient[i] * image.pixels[i]
                peak = max(peak, abs(map[i]))
            }
            if peak > 0 { for i in 0..<map.count { map[i] /= peak } }
            return map
        }
    }

    /// A square field blurred by the binomial kernel [1 2 1]ᵀ[1 2 1] / 16, edges clamped.
    static func blurred(_ field: [Float], side: Int) -> [Float] {
        var out = [Float](repeating: 0, count: field.count)
        let k: [Float] = [1, 2, 1]
        for y in 0..<side {
            for x in 0..<side {
                var sum: Float = 0
                for dy in -1...1 {
                    for dx in -1...1 {
                        let yy = min(side - 1, max(0, y + dy)), xx = min(side - 1, max(0, x + dx))
                        sum += k[dy + 1] * k[dx + 1] * field[yy * side + xx]
                    }
                }
                out[y * side + x] = sum / 16
            }
        }
        return out
    }

    /// A standard normal sample (Box–Muller).
    private static func gaussian(_ random: inout SplitMix64) -> Float {
        let u1 = max(Double(random.next() >> 11) * 0x1p-53, 1e-12), u2 = Double(random.next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    private func featureMaps() -> [FeatureMaps] {
        (0..<featureMapConvolutions).compactMap { k in
            guard let t = try? probe.featureMaps(ofConvolution: k), t.shape.count == 4 else { return nil }
            return FeatureMaps(channels: t.shape[1], height: t.shape[2], width: t.shape[3], values: t.array)
        }
    }
}
