/// Inverted dropout: scales kept activations at training time so inference is the identity.
public final class Dropout: Layer {
    public let rate: Float
    private var generator: SeededGenerator
    private var output: Tensor?
    private var gradInput: Tensor?
    private var mask: [Float] = []

    public init(rate: Float, seed: UInt64 = 0x5EED) {
        self.rate = rate
        generator = SeededGenerator(seed: seed)
    }

    public func reseed(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training, rate > 0 else { return x }
        let y = Tensor.reuse(&output, shape: x.shape)
        if mask.count != x.count { mask = [Float](repeating: 0, count: x.count) }
        let keep = 1 - rate, scale = 1 / keep
        for i in 0..<x.count {
            let m: Float = generator.nextFloat() < keep ? scale : 0
            mask[i] = m
            y.data[i] = x.data[i] * m
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard rate > 0 else { return dy }
        let dx = Tensor.reuse(&gradInput, shape: dy.shape)
        for i in 0..<dy.count { dx.data[i] = dy.data[i] * mask[i] }
        return dx
    }
}
