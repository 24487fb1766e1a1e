/// Fully connected layer: y = x·Wᵀ + b over a batch [N, in] (higher-rank input is flattened).
public final class Dense: Layer {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter   // [out, in], PyTorch's layout
    public let bias: Parameter
    /// Applies ReLU to the output (inference-only networks built by `InferenceFusion`).
    public var fusedReLU = false
    private var output: Tensor?
    private var gradInput: Tensor?
    private var input: Tensor?

    public init(inFeatures: Int, outFeatures: Int) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(shape: [outFeatures, inFeatures], decays: true)
        bias = Parameter(shape: [outFeatures], decays: false)
    }

    public var namedParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.shape[0]
        precondition(x.count == n * inFeatures, "Dense expects \(inFeatures) features, got \(x.shape)")
        input = x
        let y = Tensor.reuse(&output, n, outFeatures)
        for i in 0..<n { (y.data + i * outFeatures).update(from: bias.value.data, count: outFeatures) }
        if n == 1 {
            BLAS.gemv(m: outFeatures, n: inFeatures, a: weight.value.data, lda: inFeatures, x: x.data, beta: 1, y: y.data)
        } else {
            BLAS.gemm(transB: true, m: n, n: outFeatures, k: inFeatures, a: x.data, lda: inFeatures,
                      b: weight.value.data, ldb: inFeatures, beta: 1, c: y.data, ldc: outFeatures)
        }
        if fusedReLU {
            for i in 0..<y.count { y.data[i] = max(y.data[i], 0) }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { fatalError("Dense.backward before forward") }
        let n = dy.shape[0]
        BLAS.gemm(transA: true, m: outFeatures, n: inFeatures, k: n, a: dy.data, lda: outFeatures,
                  b: x.data, ldb: inFeatures, c: weight.grad.data, ldc: inFeatures)
        bias.grad.fill(0)
        for i in 0..<n {
            for o in 0..<outFeatures { bias.grad.data[o] += dy.data[i * outFeatures + o] }
        }
        let dx = Tensor.reuse(&gradInput, shape: x.shape)
        BLAS.gemm(m: n, n: inFeatures, k: outFeatures, a: dy.data, lda: outFeatures,
                  b: weight.value.data, ldb: inFeatures, c: dx.data, ldc: inFeatures)
        return dx
    }
}
