public final class ReLU: Layer {
    var parallel = ParallelChunks.machine
    private var output: Tensor?
    private var gradInput: Tensor?
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = Tensor.reuse(&output, shape: x.shape)
        let n = x.shape.first ?? 1, per = x.count / max(n, 1)
        parallel.run(count: n) { _, range in
            for i in (range.lowerBound * per)..<(range.upperBound * per) { y.data[i] = max(x.data[i], 0) }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let y = output else { fatalError("ReLU.backward before forward") }
        precondition(dy.count == y.count, "ReLU.backward: gradient \(dy.shape) does not match the output \(y.shape)")
        let dx = Tensor.reuse(&gradInput, shape: dy.shape)
        let n = dy.shape.first ?? 1, per = dy.count / max(n, 1)
        parallel.run(count: n) { _, range in
            for i in (range.lowerBound * per)..<(range.upperBound * per) { dx.data[i] = y.data[i] > 0 ? dy.data[i] : 0 }
        }
        return dx
    }
}
