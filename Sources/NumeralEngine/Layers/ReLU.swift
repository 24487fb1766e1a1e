public final class ReLU: Layer {
    private var output: Tensor?
    private var gradInput: Tensor?
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = Tensor.reuse(&output, shape: x.shape)
        for i in 0..<x.count { y.data[i] = max(x.data[i], 0) }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let y = output else { fatalError("ReLU.backward before forward") }
        let dx = Tensor.reuse(&gradInput, shape: dy.shape)
        for i in 0..<dy.count { dx.data[i] = y.data[i] > 0 ? dy.data[i] : 0 }
        return dx
    }
}
