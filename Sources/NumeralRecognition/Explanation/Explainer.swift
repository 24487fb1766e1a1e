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
    private let probe: InputGradient
    private let input = Tensor(shape: [1, 1, 28, 28])

    public init(model: DigitModel, featureMapConvolutions: Int = 2) throws {
        probe = try InputGradient(model.network)
        modelID = model.id
        self.featureMapConvolutions = max(0, min(featureMapConvolutions, probe.convolutionOutputs.count))
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
        let winnerMap = try evidence(for: winner, probabilities: probabilities, image: image)
        let runnerUpMap = try evidence(for: runnerUp, probabilities: probabilities, image: image)
        return DigitExplanation(prediction: DigitPrediction(probabilities: probabilities, input: image),
                                winner: winner, runnerUp: runnerUp, winnerMap: winnerMap, runnerUpMap: runnerUpMap,
                                featureMaps: maps)
    }

    /// Explains every digit of a recognition (a number gives one explanation per digit), from the
    /// inputs the model saw.
    public func explain(_ recognition: Recognition) throws -> [DigitExplanation] {
        try recognition.digits.map { try explain(image: $0.input) }
    }

    /// Gradient × input of log p(class), scaled so the largest magnitude is 1.
    private func evidence(for cls: Int, probabilities: [Float], image: GrayImage) throws -> [Float] {
        var weights = probabilities.map { -$0 }
        weights[cls] += 1
        let grad = try probe.inputGradient(weights: weights)
        var map = [Float](repeating: 0, count: image.pixels.count)
        var peak: Float = 0
        for i in 0..<map.count {
            map[i] = grad[i] * image.pixels[i]
            peak = max(peak, abs(map[i]))
        }
        if peak > 0 { for i in 0..<map.count { map[i] /= peak } }
        return map
    }

    private func featureMaps() -> [FeatureMaps] {
        (0..<featureMapConvolutions).compactMap { k in
            guard let t = try? probe.featureMaps(ofConvolution: k), t.shape.count == 4 else { return nil }
            return FeatureMaps(channels: t.shape[1], height: t.shape[2], width: t.shape[3], values: t.array)
        }
    }
}
