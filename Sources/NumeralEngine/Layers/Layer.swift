/// A trainable tensor together with its gradient. `decays` says whether weight decay applies:
/// it does for weights, not for biases and normalization parameters.
public final class Parameter {
    public let value: Tensor
    public let grad: Tensor
    public let decays: Bool

    public init(shape: [Int], decays: Bool) {
        value = Tensor(shape: shape)
        grad = Tensor(shape: shape)
        self.decays = decays
    }
}

/// A differentiable step of a network.
///
/// `forward` returns a tensor the layer owns and reuses; `backward` takes the gradient of the loss
/// with respect to that output and returns the gradient with respect to the last input, after
/// storing the parameter gradients (overwriting, not accumulating).
public protocol Layer: AnyObject {
    func forward(_ input: Tensor, training: Bool) -> Tensor
    func backward(_ gradOutput: Tensor) -> Tensor
    /// Trainable parameters, named for the model file.
    var namedParameters: [(String, Parameter)] { get }
    /// Non-trainable state saved with the model (running statistics).
    var namedBuffers: [(String, Tensor)] { get }
}

public extension Layer {
    var namedParameters: [(String, Parameter)] { [] }
    var namedBuffers: [(String, Tensor)] { [] }
    var parameters: [Parameter] { namedParameters.map(\.1) }

    /// Everything a model file stores: parameters and buffers under one namespace.
    var namedTensors: [(String, Tensor)] {
        namedParameters.map { ($0.0, $0.1.value) } + namedBuffers
    }
}
