/// Fully connected layer: y = x·Wᵀ + b over a batch [N, in] (higher-rank input is flattened).
public final class Dense: Layer {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter   // [out, in], PyTorch's layout
    public let bias: Parameter
    /// Applies ReLU to the output (inference-only networks built by `InferenceFusion`).
    public var fusedReLU = false
    var parallel = ParallelChunks.machine
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
            // Rows of the batch split over the cores, one product per worker.
            let (inF, outF, w) = (inFeatures, outFeatures, UnsafePointer(weight.value.data))
            parallel.run(count: n) { _, range in
                BLAS.gemm(transB: true, m: range.count, n: outF, k: inF, a: x.data + range.lowerBound * inF, lda: inF,
                          b: w, ldb: inF, beta: 1, c: y.data + range.lowerBound * outF, ldc: outF)
            }
        }
        if fusedReLU {
            for i in 0..<y.count { y.data[i] = max(y.data[i], 0) }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { fatalError("Dense.backward before forward") }
        let n = dy.shape[0]
        precondition(dy.count == n * outFeatures && x.shape[0] == n, "Dense.backward: gradient \(dy.shape) does not match the output")
        let (inF, outF) = (inFeatures, outFeatures)
        let dw = weight.grad.data, w = UnsafePointer(weight.value.data)
        // Weight gradient split by output rows, input gradient by batch rows: each element is one
        // worker's, computed in the same order whatever the split.
        parallel.run(count: outF) { _, rows in
            BLAS.gemm(transA: true, m: rows.count, n: inF, k: n, a: dy.data + rows.lowerBound, lda: outF,
                      b: x.data, ldb: inF, c: dw + rows.lowerBound * inF, ldc: inF)
        }
        bias.grad.fill(0)
        for i in 0..<n {
            for o in 0..<outFeatures { bias.grad.data[o] += dy.data[i * outFeatures + o] }
        }
        let dx = Tensor.reuse(&gradInput, shape: x.shape)
        parallel.run(count: n) { _, range in
            BLAS.gemm(m: range.count, n: inF, k: outF, a: dy.data + range.lowerBound * outF, lda: outF,
                      b: w, ldb: inF, c: dx.data + range.lowerBound * inF, ldc: inF)
        }
        return dx
    }
}
