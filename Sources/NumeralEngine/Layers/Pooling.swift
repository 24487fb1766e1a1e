/// Averages each channel over its spatial positions: [N, C, H, W] -> [N, C].
public final class GlobalAveragePool: Layer {
    private var output: Tensor?
    private var gradInput: Tensor?
    private var inputShape: [Int] = []
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let (n, c) = (x.shape[0], x.shape[1])
        let hw = x.count / (n * c)
        inputShape = x.shape
        let y = Tensor.reuse(&output, n, c)
        for p in 0..<(n * c) {
            var s: Float = 0
            let src = x.data + p * hw
            for j in 0..<hw { s += src[j] }
            y.data[p] = s / Float(hw)
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let dx = Tensor.reuse(&gradInput, shape: inputShape)
        let hw = dx.count / dy.count
        for p in 0..<dy.count {
            let g = dy.data[p] / Float(hw)
            (dx.data + p * hw).update(repeating: g, count: hw)
        }
        return dx
    }
}

/// [N, ...] -> [N, features] without copying.
public final class Flatten: Layer {
    private var inputShape: [Int] = []
    /// The last view handed out; the previous layer reuses its output tensor, so usually this fits again.
    private var view: Tensor?
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        let n = x.shape[0], features = x.count / n
        if let view, view.isView(of: x), view.hasShape(n, features) { return view }
        let v = Tensor(viewing: x, shape: [n, features])
        view = v
        return v
    }

    public func backward(_ dy: Tensor) -> Tensor { Tensor(viewing: dy, shape: inputShape) }
}
