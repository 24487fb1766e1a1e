/// Gradients of a network's outputs with respect to its input at inference, from the engine's own
/// backward pass: the raw material of saliency maps that say which input values drove an answer.
///
/// It works on its own copy of the network, made for inference and still differentiable: batch
/// norm folded into the preceding convolution with its running statistics (exactly what
/// `InferenceFusion` does for predictions), ReLU kept as its own layer so its backward pass sees
/// the mask, dropout left out (it is the identity at inference). Every convolution computes its
/// input gradient but no weight gradient. So `forward` gives the same outputs as the model's
/// predictions, and the gradients are those of that function.
///
/// Not thread-safe (layers keep their buffers); one instance per thread or queue.
public final class InputGradient {
    /// The differentiable inference copy.
    public let network: Sequential
    /// For each convolution, in order, the index of the layer whose output is its activated feature
    /// map (its ReLU when one follows, otherwise the convolution itself).
    public let convolutionOutputs: [Int]
    private var outputs: [Tensor] = []
    private var gradOutput: Tensor?

    /// Builds the copy; throws for a layer it cannot differentiate at inference (a batch norm not
    /// directly after a convolution, a residual block).
    public init(_ trained: Sequential) throws {
        var layers: [Layer] = []
        var convOutputs: [Int] = []
        let source = trained.layers
        var i = 0
        while i < source.count {
            let layer = source[i]
            if let conv = layer as? Conv2D {
                let copy: Conv2D
                if i + 1 < source.count, let bn = source[i + 1] as? BatchNorm {
                    copy = InferenceFusion.fold(conv, bn)
                    i += 2
                } else {
                    copy = InferenceFusion.copy(conv)
                    i += 1
                }
                copy.computesInputGradient = true
                copy.computesParameterGradients = false
                layers.append(copy)
                if i < source.count, source[i] is ReLU {
                    layers.append(ReLU())
                    i += 1
                }
                convOutputs.append(layers.count - 1)
                continue
            }
            switch layer {
            case is ReLU: layers.append(ReLU())
            case let pool as MaxPool: layers.append(MaxPool(size: pool.size, stride: pool.stride))
            case is GlobalAveragePool: layers.append(GlobalAveragePool())
            case is Flatten: layers.append(Flatten())
            case is Dropout: break
            case let dense as Dense:
                let copy = Dense(inFeatures: dense.inFeatures, outFeatures: dense.outFeatures)
                copy.weight.value.copy(from: dense.weight.value)
                copy.bias.value.copy(from: dense.bias.value)
                layers.append(copy)
            default:
                throw AttributionError.unsupportedLayer(position: i, kind: String(describing: type(of: layer)))
            }
            i += 1
        }
        network = Sequential(layers)
        convolutionOutputs = convOutputs
    }

    /// Runs the network on `input` ([1, C, H, W] or a batch) and keeps what the backward pass needs.
    /// Returns the outputs (logits), owned by the last layer until the next call.
    @discardableResult
    public func forward(_ input: Tensor) -> Tensor {
        outputs.removeAll(keepingCapacity: true)
        var h = input
        // `training: true` only makes layers keep their inputs for backward: batch norm is folded
        // and dropout gone, so the function computed is the inference one.
        for layer in network.layers {
            h = layer.forward(h, training: true)
            outputs.append(h)
        }
        return h
    }

    /// The gradient of Σₖ weights[k] · output[k] with respect to the input of the last `forward`,
    /// for a batch of one. Weights (1, 0, …) give the first output's gradient; the one-hot vector
    /// of class c minus the softmax probabilities gives the gradient of log p(c).
    /// The result is owned by the first layer until the next call.
    public func inputGradient(weights: [Float]) throws -> Tensor {
        guard let last = outputs.last else { throw AttributionError.noForwardPass }
        guard last.shape[0] == 1, weights.count == last.count else {
            throw AttributionError.weightCount(expected: last.count, got: weights.count)
        }
        let dy: Tensor
        if let g = gradOutput, g.shape == last.shape {
            dy = g
        } else {
            dy = Tensor(shape: last.shape)
            gradOutput = dy
        }
        dy.copy(from: weights)
        return network.backward(dy)
    }

    /// The activated feature maps of the `k`-th convolution ([N, channels, H, W]) from the last
    /// `forward`, owned by the network until the next call.
    public func featureMaps(ofConvolution k: Int) throws -> Tensor {
        guard !outputs.isEmpty else { throw AttributionError.noForwardPass }
        guard convolutionOutputs.indices.contains(k) else {
            throw AttributionError.noSuchConvolution(k, count: convolutionOutputs.count)
        }
        return outputs[convolutionOutputs[k]]
    }
}
