/// 2-D convolution over NCHW input.
///
/// By default oneDNN runs it (`ConvolutionPrimitives`): direct convolutions on blocked layouts with
/// the CPU's widest vectors, twice as fast as matrix products on these shapes. Each worker runs its
/// own primitives on its slice of the batch with one thread. `ConvolutionBackend.openBLAS` (or a
/// oneDNN that cannot build primitives for a shape) computes it as im2col followed by OpenBLAS
/// matrix products instead, as described next.
///
/// Images of a batch are spread over the cores. Each worker unfolds a group of its images side by
/// side into one column matrix [C·k·k, g·OH·OW] and runs one matrix product for the whole group,
/// instead of one small product per image: small feature maps (7×7, 11×11) give OpenBLAS wide
/// enough matrices that way. The group is sized so its columns stay in the core's cache; the
/// backward pass unfolds the group again rather than keeping every image's columns (re-unfolding
/// from cache is cheaper than writing and re-reading tens of megabytes). Each worker owns its
/// buffers and gradient accumulators, so workers never share writable memory, and the workers'
/// gradients are summed in a fixed order, so results do not depend on thread timing.
public final class Conv2D: Layer {
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter   // [out, in, k, k]
    public let bias: Parameter     // [out]
    /// The first layer of a network needs no input gradient; skipping it saves a third of its backward pass.
    public var computesInputGradient = true
    /// Explaining a prediction needs only the input gradient; skipping the weight gradient halves the backward pass.
    public var computesParameterGradients = true
    /// Applies ReLU in the same pass as the bias (inference-only networks built by `InferenceFusion`).
    public var fusedReLU = false {
        didSet { primitives.removeAll() }
    }
    /// Promises that the weights and bias never change after the first forward pass (inference
    /// networks built by `InferenceFusion`), so oneDNN's blocked copy of them is made once.
    public var constantWeights = false {
        didSet { primitives.removeAll() }
    }
    var parallel = ParallelChunks.machine
    /// The library that computes this layer (oneDNN unless `NUMERAL_CONVOLUTIONS=openblas`).
    public var backend = ConvolutionBackend.preferred
    /// Why oneDNN was given up for this layer, if it was (then `backend` is `.openBLAS`).
    public private(set) var oneDNNFailure: String?
    private var primitives: [BatchKey: [ConvolutionPrimitives]] = [:]
    private var oneDNNGradients: [ConvolutionScratch] = []
    /// Upper bound on one group's column matrix, in floats (1 MB: about half a core's L2 cache here).
    static let defaultColumnBudget = 256 * 1024
    var columnBudget = Conv2D.defaultColumnBudget

    private var output: Tensor?
    private var gradInput: Tensor?
    private var input: Tensor?
    private var trainingForwardDone = false
    private var scratch: [ConvolutionScratch] = []

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

    /// Images per matrix product: as many as keep the group's columns within the budget.
    func groupSize(columnsPerImage: Int, images: Int) -> Int {
        max(1, min(images, columnBudget / max(columnsPerImage, 1)))
    }

    /// One scratch per worker, each large enough for a group of `group` images.
    private func prepareScratch(workers: Int, group: Int, ckk: Int, ohw: Int) {
        let colFloats = ckk * group * ohw, outFloats = outChannels * group * ohw
        let wCount = outChannels * ckk
        if scratch.count != workers || scratch.contains(where: {
            $0.columns.count < colFloats || $0.products.count < outFloats || $0.weightGrad.count != wCount
        }) {
            scratch = (0..<workers).map { _ in
                ConvolutionScratch(columns: colFloats, products: outFloats, weights: wCount, biases: outChannels)
            }
        }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == inChannels,
                     "Conv2D expects [N, \(inChannels), H, W], got \(x.shape)")
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let (oh, ow) = outputSize(h, w)
        precondition(oh > 0 && ow > 0, "Conv2D input \(h)x\(w) is smaller than its \(kernel)x\(kernel) kernel")
        let y = Tensor.reuse(&output, n, outChannels, oh, ow)
        input = x
        trainingForwardDone = training
        if backend == .oneDNN, let plans = oneDNNPrimitives(images: n, height: h, width: w) {
            let inPlane = inChannels * h * w, outPlane = outChannels * oh * ow
            let weights = UnsafePointer(weight.value.data), biases = UnsafePointer(bias.value.data)
            parallel.run(count: n) { worker, range in
                plans[worker].forward(input: x.data + range.lowerBound * inPlane, weights: weights, bias: biases,
                                      output: y.data + range.lowerBound * outPlane)
            }
            return y
        }
        let ckk = inChannels * kernel * kernel, ohw = oh * ow
        let workers = parallel.workerCount(for: n)
        let perWorker = (n + workers - 1) / workers
        let group = groupSize(columnsPerImage: ckk * ohw, images: perWorker)
        prepareScratch(workers: workers, group: group, ckk: ckk, ohw: ohw)
        let inPlane = inChannels * h * w, outPlane = outChannels * ohw
        let cout = outChannels, relu = fusedReLU
        let weights = UnsafePointer(weight.value.data), biases = UnsafePointer(bias.value.data)
        let scratch = self.scratch
        parallel.run(count: n) { worker, range in
            let s = scratch[worker]
            var first = range.lowerBound
            while first < range.upperBound {
                let g = min(group, range.upperBound - first)
                let ld = g * ohw
                for j in 0..<g {
                    im2col(x.data + (first + j) * inPlane, h, w, oh, ow, s.columns.baseAddress! + j * ohw, ld: ld)
                }
                if g == 1 {
                    // One image's product is already in NCHW order: write it in place.
                    let yi = y.data + first * outPlane
                    BLAS.gemm(m: cout, n: ohw, k: ckk, a: weights, lda: ckk,
                              b: s.columns.baseAddress!, ldb: ohw, c: yi, ldc: ohw)
                    Self.addBias(biases, relu: relu, rows: cout, count: ohw,
                                 from: UnsafePointer(yi), sourceStride: ohw, to: yi, destinationStride: ohw)
                } else {
                    BLAS.gemm(m: cout, n: ld, k: ckk, a: weights, lda: ckk,
                              b: s.columns.baseAddress!, ldb: ld, c: s.products.baseAddress!, ldc: ld)
                    for j in 0..<g {
                        Self.addBias(biases, relu: relu, rows: cout, count: ohw,
                                     from: UnsafePointer(s.products.baseAddress! + j * ohw), sourceStride: ld,
                                     to: y.data + (first + j) * outPlane, destinationStride: ohw)
                    }
                }
                first += g
            }
        }
        return y
    }

    /// dst[o][p] = src[o][p] + bias[o], rectified when `relu`: the bias pass, moving the product
    /// of a group back to each image's NCHW plane at the same time.
    @inline(__always)
    private static func addBias(_ bias: UnsafePointer<Float>, relu: Bool, rows: Int, count: Int,
                                from src: UnsafePointer<Float>, sourceStride: Int,
                                to dst: UnsafeMutablePointer<Float>, destinationStride: Int) {
        for o in 0..<rows {
            VectorSums.addBias(bias[o], relu: relu, from: src + o * sourceStride, to: dst + o * destinationStride, count: count)
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input, trainingForwardDone else { fatalError("Conv2D.backward needs a training forward first") }
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let (oh, ow) = outputSize(h, w)
        precondition(dy.count == n * outChannels * oh * ow, "Conv2D.backward: gradient \(dy.shape) does not match the output")
        let ckk = inChannels * kernel * kernel, ohw = oh * ow
        let dx = Tensor.reuse(&gradInput, shape: x.shape)
        if backend == .oneDNN, oneDNNBackward(dy, x: x, dx: dx, height: h, width: w) { return dx }
        let workers = parallel.workerCount(for: n)
        let perWorker = (n + workers - 1) / workers
        let group = groupSize(columnsPerImage: ckk * ohw, images: perWorker)
        prepareScratch(workers: workers, group: group, ckk: ckk, ohw: ohw)
        let inPlane = inChannels * h * w, outPlane = outChannels * ohw
        let needDx = computesInputGradient
        let needParams = computesParameterGradients
        let cout = outChannels
        let weights = UnsafePointer(weight.value.data)
        let scratch = self.scratch
        parallel.run(count: n) { worker, range in
            let s = scratch[worker]
            let dw = s.weightGrad.baseAddress!, db = s.biasGrad
            s.weightGrad.update(repeating: 0)
            db.update(repeating: 0)
            var first = range.lowerBound
            while first < range.upperBound {
                let g = min(group, range.upperBound - first)
                let ld = g * ohw
                // The group's output gradient as one [out, g·OH·OW] matrix.
                let dyg: UnsafePointer<Float>
                if g == 1 {
                    dyg = UnsafePointer(dy.data + first * outPlane)
                } else {
                    let gathered = s.products.baseAddress!
                    for j in 0..<g {
                        let src = dy.data + (first + j) * outPlane
                        for o in 0..<cout {
                            (gathered + o * ld + j * ohw).update(from: src + o * ohw, count: ohw)
                        }
                    }
                    dyg = UnsafePointer(gathered)
                }
                if needParams {
                    for o in 0..<cout { db[o] += VectorSums.sum(dyg + o * ld, count: ld) }
                    for j in 0..<g {
                        im2col(x.data + (first + j) * inPlane, h, w, oh, ow, s.columns.baseAddress! + j * ohw, ld: ld)
                    }
                    BLAS.gemm(transB: true, m: cout, n: ckk, k: ld, a: dyg, lda: ld,
                              b: s.columns.baseAddress!, ldb: ld, beta: 1, c: dw, ldc: ckk)
                }
                if needDx {
                    BLAS.gemm(transA: true, m: ckk, n: ld, k: cout, a: weights, lda: ckk,
                              b: dyg, ldb: ld, c: s.columns.baseAddress!, ldc: ld)
                    for j in 0..<g {
                        col2im(s.columns.baseAddress! + j * ohw, h, w, oh, ow, dx.data + (first + j) * inPlane, ld: ld)
                    }
                }
                first += g
            }
        }
        weight.grad.fill(0)
        bias.grad.fill(0)
        guard needParams else { return dx }
        let wCount = outChannels * ckk
        for s in scratch.prefix(workers) {
            let dw = s.weightGrad.baseAddress!
            for j in 0..<wCount { weight.grad.data[j] += dw[j] }
            for o in 0..<outChannels { bias.grad.data[o] += s.biasGrad[o] }
        }
        return dx
    }

    /// The oneDNN forward kernels built so far (for tests and reports).
    var oneDNNImplementations: Set<String> { Set(primitives.values.flatMap { $0.map(\.forwardImplementation) }) }

    private struct BatchKey: Hashable {
        var images: Int, height: Int, width: Int
    }

    /// Each worker's primitives for its slice of an `images`-image batch, created on first use and
    /// then found without allocating; nil after switching to OpenBLAS because oneDNN could not build them.
    private func oneDNNPrimitives(images n: Int, height h: Int, width w: Int) -> [ConvolutionPrimitives]? {
        let key = BatchKey(images: n, height: h, width: w)
        if let plans = primitives[key] { return plans }
        let (oh, ow) = outputSize(h, w)
        let workers = parallel.workerCount(for: n)
        do {
            let plans = try (0..<workers).map { worker in
                let slice = n * (worker + 1) / workers - n * worker / workers
                let shape = ConvolutionPrimitives.Shape(
                    images: slice, inChannels: inChannels, height: h, width: w, outChannels: outChannels,
                    kernel: kernel, stride: stride, padding: padding, outHeight: oh, outWidth: ow)
                return try ConvolutionPrimitives(shape, relu: fusedReLU, constantWeights: constantWeights)
            }
            // Batch sizes vary little (training, evaluation, one image); a few dozen at most.
            if primitives.count >= 32 { primitives.removeAll() }
            primitives[key] = plans
            return plans
        } catch {
            giveUpOneDNN(error)
            return nil
        }
    }

    private func giveUpOneDNN(_ error: Error) {
        oneDNNFailure = "\(error)"
        backend = .openBLAS
        primitives.removeAll()
    }

    /// The backward pass on oneDNN; false (and OpenBLAS from now on) if its primitives cannot be built.
    private func oneDNNBackward(_ dy: Tensor, x: Tensor, dx: Tensor, height h: Int, width w: Int) -> Bool {
        let n = x.shape[0]
        guard let plans = oneDNNPrimitives(images: n, height: h, width: w) else { return false }
        let needDx = computesInputGradient, needParams = computesParameterGradients
        do {
            for p in plans { try p.prepareBackward(needsInputGradient: needDx) }
        } catch {
            giveUpOneDNN(error)
            return false
        }
        let (oh, ow) = outputSize(h, w)
        let inPlane = inChannels * h * w, outPlane = outChannels * oh * ow
        let wCount = outChannels * inChannels * kernel * kernel
        if oneDNNGradients.count != plans.count || oneDNNGradients.contains(where: { $0.weightGrad.count != wCount }) {
            oneDNNGradients = plans.map { _ in ConvolutionScratch(columns: 0, products: 0, weights: wCount, biases: outChannels) }
        }
        let gradients = oneDNNGradients
        let weights = UnsafePointer(weight.value.data)
        parallel.run(count: n) { worker, range in
            let g = gradients[worker], first = range.lowerBound
            plans[worker].backward(
                outputGradient: dy.data + first * outPlane, input: x.data + first * inPlane, weights: weights,
                weightGradient: needParams ? g.weightGrad.baseAddress! : nil,
                biasGradient: needParams ? g.biasGrad.baseAddress! : nil,
                inputGradient: needDx ? dx.data + first * inPlane : nil)
        }
        weight.grad.fill(0)
        bias.grad.fill(0)
        if needParams {
            // Summed in worker order, so the result does not depend on thread timing.
            for g in gradients {
                for j in 0..<wCount { weight.grad.data[j] += g.weightGrad[j] }
                for o in 0..<outChannels { bias.grad.data[o] += g.biasGrad[o] }
            }
        }
        return true
    }

    /// Unfolds one image [C,H,W] into columns [C*k*k, OH*OW] whose rows lie `ld` floats apart
    /// (several images of a group sit side by side), zero outside the padded border.
    private func im2col(_ src: UnsafePointer<Float>, _ h: Int, _ w: Int, _ oh: Int, _ ow: Int,
                        _ col: UnsafeMutablePointer<Float>, ld: Int) {
        var row = 0
        for c in 0..<inChannels {
            let plane = src + c * h * w
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let dst = col + row * ld
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
                            if lo > 0 { d.update(repeating: 0, count: min(lo, ow)) }
                            if hi > lo { (d + lo).update(from: srow + lo + shift, count: hi - lo) }
                            if hi < ow && max(hi, lo) < ow { (d + max(hi, lo)).update(repeating: 0, count: ow - max(hi, lo)) }
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

    /// The adjoint of im2col: sums column gradients (rows `ld` floats apart) back into the image gradient.
    private func col2im(_ col: UnsafePointer<Float>, _ h: Int, _ w: Int, _ oh: Int, _ ow: Int,
                        _ dst: UnsafeMutablePointer<Float>, ld: Int) {
        dst.update(repeating: 0, count: inChannels * h * w)
        var row = 0
        for c in 0..<inChannels {
            let plane = dst + c * h * w
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let src = col + row * ld
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + ki
                        if iy < 0 || iy >= h { continue }
                        let drow = plane + iy * w
                        let s = src + oy * ow
                        if stride == 1 {
                            let shift = kj - padding
                            let lo = max(0, -shift), hi = min(ow, w - shift)
                            if hi > lo {
                                let d = drow + shift
                                for ox in lo..<hi { d[ox] += s[ox] }
                            }
                        } else {
                            for ox in 0..<ow {
                                let ix = ox * stride - padding + kj
                                if ix >= 0 && ix < w { drow[ix] += s[ox] }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}

/// One worker's buffers for a convolution: a group's columns, its product (or gathered output
/// gradient), and the worker's own weight and bias gradient sums.
final class ConvolutionScratch: @unchecked Sendable {
    let columns: UnsafeMutableBufferPointer<Float>
    let products: UnsafeMutableBufferPointer<Float>
    let weightGrad: UnsafeMutableBufferPointer<Float>
    let biasGrad: UnsafeMutableBufferPointer<Float>

    init(columns: Int, products: Int, weights: Int, biases: Int) {
        func buffer(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(n, 1))
            b.initialize(repeating: 0)
            return b
        }
        self.columns = buffer(columns)
        self.products = buffer(products)
        weightGrad = buffer(weights)
        biasGrad = buffer(biases)
    }

    deinit {
        columns.deallocate()
        products.deallocate()
        weightGrad.deallocate()
        biasGrad.deallocate()
    }
}
