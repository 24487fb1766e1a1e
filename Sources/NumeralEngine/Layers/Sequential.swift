/// Layers applied in order. Parameter names are prefixed with the layer's index, as PyTorch's
/// `nn.Sequential` does, so the model file reads naturally there too.
///
/// A batch norm directly followed by a ReLU runs as one fused step (one pass over the activations
/// instead of two, each way); the ReLU layer stays in `layers`, so names and indices do not change,
/// and the result is bit for bit the same as running the two layers one after the other.
public final class Sequential: Layer {
    public let layers: [Layer]
    private let steps: [Step]

    private enum Step {
        case layer(Layer)
        case batchNormReLU(BatchNorm)
    }

    public init(_ layers: [Layer]) {
        self.layers = layers
        var steps: [Step] = []
        var i = 0
        while i < layers.count {
            if let bn = layers[i] as? BatchNorm, i + 1 < layers.count, layers[i + 1] is ReLU {
                steps.append(.batchNormReLU(bn))
                i += 2
            } else {
                steps.append(.layer(layers[i]))
                i += 1
            }
        }
        self.steps = steps
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        for step in steps {
            switch step {
            case .layer(let layer): h = layer.forward(h, training: training)
            case .batchNormReLU(let bn): h = bn.forward(h, training: training, rectified: true)
            }
        }
        return h
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var g = dy
        for step in steps.reversed() {
            switch step {
            case .layer(let layer): g = layer.backward(g)
            case .batchNormReLU(let bn): g = bn.backward(g, rectified: true)
            }
        }
        return g
    }

    public var namedParameters: [(String, Parameter)] {
        layers.enumerated().flatMap { i, l in l.namedParameters.map { ("\(i).\($0.0)", $0.1) } }
    }

    public var namedBuffers: [(String, Tensor)] {
        layers.enumerated().flatMap { i, l in l.namedBuffers.map { ("\(i).\($0.0)", $0.1) } }
    }
}

/// y = body(x) + shortcut(x), where the shortcut is the identity unless a projection is given
/// (needed when the body changes the channel count or resolution).
public final class Residual: Layer {
    public let body: Layer
    public let shortcut: Layer?
    private var output: Tensor?
    private var gradInput: Tensor?

    public init(body: Layer, shortcut: Layer? = nil) {
        self.body = body
        self.shortcut = shortcut
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let a = body.forward(x, training: training)
        let s = shortcut?.forward(x, training: training) ?? x
        precondition(a.shape == s.shape, "Residual branches disagree: \(a.shape) vs \(s.shape)")
        let y = Tensor.reuse(&output, shape: a.shape)
        for i in 0..<y.count { y.data[i] = a.data[i] + s.data[i] }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let dBody = body.backward(dy)
        let dx = Tensor.reuse(&gradInput, shape: dBody.shape)
        dx.copy(from: dBody)
        let dShort = shortcut?.backward(dy) ?? dy
        for i in 0..<dx.count { dx.data[i] += dShort.data[i] }
        return dx
    }

    public var namedParameters: [(String, Parameter)] {
        body.namedParameters.map { ("body.\($0.0)", $0.1) }
            + (shortcut?.namedParameters.map { ("shortcut.\($0.0)", $0.1) } ?? [])
    }

    public var namedBuffers: [(String, Tensor)] {
        body.namedBuffers.map { ("body.\($0.0)", $0.1) }
            + (shortcut?.namedBuffers.map { ("shortcut.\($0.0)", $0.1) } ?? [])
    }
}
