/// Builds an inference-only copy of a network with batch norm folded into the preceding
/// convolution and ReLU fused into its bias pass: the same function with two fewer passes over
/// every activation (a convolution or dense layer directly followed by ReLU gets the ReLU fused
/// the same way), which matters when one image must be classified in a fraction of a millisecond.
/// The copy's convolutions are marked `constantWeights`: a caller that changes the trained
/// network's weights builds a new copy (as `DigitModel.weightsDidChange` does).
public enum InferenceFusion {
    public static func fuse(_ network: Sequential) -> Sequential {
        var out: [Layer] = []
        var i = 0
        let layers = network.layers
        while i < layers.count {
            if let conv = layers[i] as? Conv2D, i + 1 < layers.count, let bn = layers[i + 1] as? BatchNorm {
                let folded = fold(conv, bn)
                i += 2
                if i < layers.count, layers[i] is ReLU {
                    folded.fusedReLU = true
                    i += 1
                }
                out.append(folded)
            } else if let conv = layers[i] as? Conv2D, i + 1 < layers.count, layers[i + 1] is ReLU {
                let fused = copy(conv)
                fused.fusedReLU = true
                out.append(fused)
                i += 2
            } else if let dense = layers[i] as? Dense, i + 1 < layers.count, layers[i + 1] is ReLU {
                let fused = Dense(inFeatures: dense.inFeatures, outFeatures: dense.outFeatures)
                fused.weight.value.copy(from: dense.weight.value)
                fused.bias.value.copy(from: dense.bias.value)
                fused.fusedReLU = true
                out.append(fused)
                i += 2
            } else {
                out.append(layers[i])
                i += 1
            }
        }
        return Sequential(out)
    }

    /// A convolution with the same weights, so flags set on it leave the training network alone.
    static func copy(_ conv: Conv2D) -> Conv2D {
        let c = Conv2D(inChannels: conv.inChannels, outChannels: conv.outChannels, kernel: conv.kernel,
                       stride: conv.stride, padding: conv.padding)
        c.parallel = conv.parallel
        c.backend = conv.backend
        c.constantWeights = true
        c.weight.value.copy(from: conv.weight.value)
        c.bias.value.copy(from: conv.bias.value)
        return c
    }

    /// conv' = conv · γ/σ per output channel, bias' = (bias − μ) · γ/σ + β.
    static func fold(_ conv: Conv2D, _ bn: BatchNorm) -> Conv2D {
        let f = Conv2D(inChannels: conv.inChannels, outChannels: conv.outChannels, kernel: conv.kernel,
                       stride: conv.stride, padding: conv.padding)
        f.parallel = conv.parallel
        f.backend = conv.backend
        f.constantWeights = true
        let perOut = conv.inChannels * conv.kernel * conv.kernel
        for o in 0..<conv.outChannels {
            let scale = bn.gamma.value[o] / (bn.runningVar[o] + bn.epsilon).squareRoot()
            for j in 0..<perOut { f.weight.value[o * perOut + j] = conv.weight.value[o * perOut + j] * scale }
            f.bias.value[o] = (conv.bias.value[o] - bn.runningMean[o]) * scale + bn.beta.value[o]
        }
        return f
    }
}
