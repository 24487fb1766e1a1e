/// An upper bound on the magnitude of every activation of a network at inference, for inputs
/// within ±`input`: each convolution or dense row adds up at most Σ|w|·bound + |b|, batch norm
/// scales by |γ|/σ around its mean, and ReLU, pooling and dropout never grow a value. Probing a
/// few inputs cannot rule out that some drawing overflows 32-bit floats inside a damaged network;
/// a finite bound can. Computed in Double so the bound itself does not overflow first.
public enum ActivationBound {
    /// The bound after `layer`, or nil for a layer type it does not know.
    public static func of(_ layer: Layer, input: Double) -> Double? {
        switch layer {
        case let network as Sequential:
            var bound = input
            for l in network.layers {
                guard let next = of(l, input: bound) else { return nil }
                bound = next
            }
            return bound
        case let block as Residual:
            guard let body = of(block.body, input: input) else { return nil }
            guard let shortcut = block.shortcut else { return body + input }
            return of(shortcut, input: input).map { body + $0 }
        case let conv as Conv2D:
            return rows(conv.weight.value, bias: conv.bias.value, count: conv.outChannels, input: input)
        case let dense as Dense:
            return rows(dense.weight.value, bias: dense.bias.value, count: dense.outFeatures, input: input)
        case let bn as BatchNorm:
            var bound = 0.0
            for c in 0..<bn.channels {
                let scale = Double(abs(bn.gamma.value[c])) / (Double(bn.runningVar[c]) + Double(bn.epsilon)).squareRoot()
                bound = max(bound, scale * (input + Double(abs(bn.runningMean[c]))) + Double(abs(bn.beta.value[c])))
            }
            return bound
        case is ReLU, is MaxPool, is GlobalAveragePool, is Flatten, is Dropout:
            return input
        default:
            return nil
        }
    }

    /// max over rows of Σ|w| · input + |b|, with `count` rows of equal length in `weights`.
    private static func rows(_ weights: Tensor, bias: Tensor, count: Int, input: Double) -> Double {
        let perRow = weights.count / max(count, 1)
        var bound = 0.0
        for r in 0..<count {
            var sum = 0.0
            for j in 0..<perRow { sum += Double(abs(weights[r * perRow + j])) }
            bound = max(bound, sum * input + Double(abs(bias[r])))
        }
        return bound
    }
}
