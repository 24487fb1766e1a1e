/// 2-D convolution over NCHW input, computed as im2col followed by one matrix product per image.
/// Images of a batch are spread over the cores; each worker owns its column buffer and gradient
/// accumulators, so workers never share writable memory.
public final class Conv2D: Layer {
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter   // [out, in, k, k]
    public let bias: Parameter     // [out]
    /// The first layer of a network needs no input gradient; skipping it saves a third of its backward pass.
    public var computesInputGradient = true
    /// Explaining a prediction needs only the input gradient; skipping the weight gradient halves the backward pass.
    public var computesParameterGradients = true
    /// Applies ReLU in the same pass as the bias (inference-only networks built by `InferenceFusion`).
    public var fusedReLU = false
    var parallel = ParallelChunks.machine

    private var output: Tensor?
    private var gradInput: Tensor?
    private var input: Tensor?
    private var columns: [Float] = []        // im2col of every image of the batch, kept for backward
    private var workerGrads: [[Float]] = []
    private var workerBiasGrads: [[Float]] = []
    private var workerScratch: [[Float]] = []
    private var columnsKeptForBackward = false

    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        weight = Parameter(shape: [outChannels, inChannels, kernel, kernel], decays: true)
        bias = Parameter(shape: [outChannels], decays: false)
    }

    public var namedParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }

    func outputSize(_ h: Int, _ w: Int) -> (Int, Int) {
        ((h + 2 * padding - kernel) / stride + 1, (w + 2 * padding - kernel) / stride + 1)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let (oh, ow) = outputSize(h, w)
        let y = Tensor.reuse(&output, n, outChannels, oh, ow)
        input = x
        let ckk = inChannels * kernel * kernel, ohw = oh * ow
        // Training keeps every image's columns for the weight gradient; inference needs one per worker.
        let keepAll = training
        columnsKeptForBackward = training
        let workers = parallel.workerCount(for: n)
        let colCount = keepAll ? n * ckk * ohw : workers * ckk * ohw
        if columns.count < colCount { columns = [Float](repeating: 0, count: colCount) }
        let inPlane = inChannels * h * w, outPlane = outChannels * ohw
        columns.withUnsafeMutableBufferPointer { cols in
            let colBase = cols.baseAddress!
            parallel.run(count: n) { worker, range in
                for i in range {
                    let col = colBase + (keepAll ? i : worker) * ckk * ohw
                    im2col(x.data + i * inPlane, h, w, oh, ow, col)
                    let yi = y.data + i * outPlane
                    BLAS.gemm(m: outChannels, n: ohw, k: ckk, a: weight.value.data, lda: ckk,
                              b: col, ldb: ohw, c: yi, ldc: ohw)
                    for o in 0..<outChannels {
                        let b = bias.value.data[o]
                        let row = yi + o * ohw
                        if fusedReLU {
                            for j in 0..<ohw { row[j] = max(row[j] + b, 0) }
                        } else {
                            for j in 0..<ohw { row[j] += b }
                        }
                    }
                }
            }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input, columnsKeptForBackward else { fatalError("Conv2D.backward needs a training forward first") }
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let (oh, ow) = outputSize(h, w)
        let ckk = inChannels * kernel * kernel, ohw = oh * ow
        let dx = Tensor.reuse(&gradInput, shape: x.shape)
        let workers = parallel.workerCount(for: n)
        let wCount = outChannels * ckk
        if workerGrads.count != workers || workerGrads.first?.count != wCount {
            workerGrads = Array(repeating: [Float](repeating: 0, count: wCount), count: workers)
            workerBiasGrads = Array(repeating: [Float](repeating: 0, count: outChannels), count: workers)
        }
        if workerScratch.count != workers || workerScratch.first?.count != ckk * ohw {
            workerScratch = Array(repeating: [Float](repeating: 0, count: ckk * ohw), count: workers)
        }
        let inPlane = inChannels * h * w, outPlane = outChannels * ohw
        let needDx = computesInputGradient
        let needParams = computesParameterGradients
        columns.withUnsafeBufferPointer { cols in
            parallel.run(count: n) { worker, range in
                workerGrads[worker].withUnsafeMutableBufferPointer { dw in
                workerBiasGrads[worker].withUnsafeMutableBufferPointer { db in
                workerScratch[worker].withUnsafeMutableBufferPointer { scratch in
                    dw.update(repeating: 0)
                    db.update(repeating: 0)
                    for i in range {
                        let dyi = dy.data + i * outPlane
                        let col = cols.baseAddress! + i * ckk * ohw
                        if needParams {
                            BLAS.gemm(transB: true, m: outChannels, n: ckk, k: ohw, a: dyi, lda: ohw,
                                      b: col, ldb: ohw, beta: 1, c: dw.baseAddress!, ldc: ckk)
                            for o in 0..<outChannels {
                                var s: Float = 0
                                let row = dyi + o * ohw
                                for j in 0..<ohw { s += row[j] }
                                db[o] += s
                            }
                        }
                        if needDx {
                            BLAS.gemm(transA: true, m: ckk, n: ohw, k: outChannels, a: weight.value.data, lda: ckk,
                                      b: dyi, ldb: ohw, c: scratch.baseAddress!, ldc: ohw)
                            col2im(scratch.baseAddress!, h, w, oh, ow, dx.data + i * inPlane)
                        }
                    }
                }}}
            }
        }
        weight.grad.fill(0)
        bias.grad.fill(0)
        guard needParams else { return dx }
        for wk in 0..<workers {
            for j in 0..<wCount { weight.grad.data[j] += workerGrads[wk][j] }
            for o in 0..<outChannels { bias.grad.data[o] += workerBiasGrads[wk][o] }
        }
        return dx
    }

    /// Unfolds one image [C,H,W] into columns [C*k*k, OH*OW], zero outside the padded border.
    private func im2col(_ src: UnsafePointer<Float>, _ h: Int, _ w: Int, _ oh: Int, _ ow: Int,
                        _ col: UnsafeMutablePointer<Float>) {
        var row = 0
        for c in 0..<inChannels {
            let plane = src + c * h * w
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let dst = col + row * oh * ow
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + ki
                        let d = dst + oy * ow
                        if iy < 0 || iy >= h {
                            d.update(repeating: 0, count: ow)
                            continue
                        }
                        let srow = plane + iy * w
                        if stride == 1 {
                            // Contiguous run: only the padded ends need care.
                            let shift = kj - padding
                            let lo = max(0, -shift), hi = min(ow, w - shift)
                            if lo > 0 { d.update(repeating: 0, count: lo) }
                            if hi > lo { (d + lo).update(from: srow + lo + shift, count: hi - lo) }
                            if hi < ow { (d + max(hi, lo)).update(repeating: 0, count: ow - max(hi, lo)) }
                        } else {
                            for ox in 0..<ow {
                                let ix = ox * stride - padding + kj
                                d[ox] = (ix >= 0 && ix < w) ? srow[ix] : 0
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// The adjoint of im2col: sums column gradients back into the image gradient.
    private func col2im(_ col: UnsafePointer<Float>, _ h: Int, _ w: Int, _ oh: Int, _ ow: Int,
                        _ dst: UnsafeMutablePointer<Float>) {
        dst.update(repeating: 0, count: inChannels * h * w)
        var row = 0
        for c in 0..<inChannels {
            let plane = dst + c * h * w
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let src = col + row * oh * ow
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + ki
                        if iy < 0 || iy >= h { continue }
                        let drow = plane + iy * w
                        let s = src + oy * ow
                        for ox in 0..<ow {
                            let ix = ox * stride - padding + kj
                            if ix >= 0 && ix < w { drow[ix] += s[ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
