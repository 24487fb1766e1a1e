import Foundation

/// Batch normalization per channel over N×H×W (NCHW) or over N ([N, F] input).
/// Training normalizes with batch statistics and updates running averages; inference uses the
/// running averages, folded into one scale and shift per channel.
public final class BatchNorm: Layer {
    public let channels: Int
    public let momentum: Float
    public let epsilon: Float
    public let gamma: Parameter
    public let beta: Parameter
    public let runningMean: Tensor
    public let runningVar: Tensor
    var parallel = ParallelChunks.machine

    private var output: Tensor?
    private var gradInput: Tensor?
    private var normalized: Tensor?    // x̂, kept for backward
    private var invStd: [Float] = []

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        gamma = Parameter(shape: [channels], decays: false)
        beta = Parameter(shape: [channels], decays: false)
        gamma.value.fill(1)
        runningMean = Tensor(shape: [channels])
        runningVar = Tensor(shape: [channels])
        runningVar.fill(1)
    }

    public var namedParameters: [(String, Parameter)] { [("weight", gamma), ("bias", beta)] }
    public var namedBuffers: [(String, Tensor)] { [("running_mean", runningMean), ("running_var", runningVar)] }

    private func geometry(_ x: Tensor) -> (n: Int, spatial: Int) {
        (x.shape[0], x.shape.count > 2 ? x.shape[2...].reduce(1, *) : 1)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor { forward(x, training: training, rectified: false) }

    public func backward(_ dy: Tensor) -> Tensor { backward(dy, rectified: false) }

    /// With `rectified`, the output is ReLU(batch norm(x)) in the same pass: what `Sequential` runs
    /// for a batch norm directly followed by a ReLU (which then does no pass of its own).
    func forward(_ x: Tensor, training: Bool, rectified: Bool) -> Tensor {
        precondition(x.shape.count >= 2 && x.shape[1] == channels, "BatchNorm expects \(channels) channels, got \(x.shape)")
        let (n, hw) = geometry(x)
        let y = Tensor.reuse(&output, shape: x.shape)
        let c = channels
        if !training {
            for ch in 0..<c {
                let scale = gamma.value[ch] / (runningVar[ch] + epsilon).squareRoot()
                let shift = beta.value[ch] - runningMean[ch] * scale
                for i in 0..<n {
                    let base = (i * c + ch) * hw
                    let src = x.data + base, dst = y.data + base
                    if rectified {
                        for j in 0..<hw { dst[j] = max(src[j] * scale + shift, 0) }
                    } else {
                        for j in 0..<hw { dst[j] = src[j] * scale + shift }
                    }
                }
            }
            return y
        }
        let xhat = Tensor.reuse(&normalized, shape: x.shape)
        if invStd.count != c { invStd = [Float](repeating: 0, count: c) }
        let m = Float(n * hw)
        invStd.withUnsafeMutableBufferPointer { inv in
            parallel.run(count: c) { _, range in
                for ch in range {
                    var sum: Double = 0, sq: Double = 0
                    for i in 0..<n {
                        // Each image's plane in sixteen float lanes, the planes added up in double.
                        let (s, q) = VectorSums.sumAndSquares(x.data + (i * c + ch) * hw, count: hw)
                        sum += Double(s)
                        sq += Double(q)
                    }
                    let mean = Float(sum / Double(m))
                    let variance = Float(max(0, sq / Double(m) - Double(mean) * Double(mean)))
                    let istd = 1 / (variance + epsilon).squareRoot()
                    inv[ch] = istd
                    let g = gamma.value[ch], b = beta.value[ch]
                    for i in 0..<n {
                        let base = (i * c + ch) * hw
                        let src = x.data + base, xh = xhat.data + base, dst = y.data + base
                        if rectified {
                            for j in 0..<hw {
                                let v = (src[j] - mean) * istd
                                xh[j] = v
                                dst[j] = max(v * g + b, 0)
                            }
                        } else {
                            for j in 0..<hw {
                                let v = (src[j] - mean) * istd
                                xh[j] = v
                                dst[j] = v * g + b
                            }
                        }
                    }
                    runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean
                    let unbiased = m > 1 ? variance * m / (m - 1) : variance
                    runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * unbiased
                }
            }
        }
        return y
    }

    /// With `rectified`, `dy` is the gradient at the ReLU's output: it passes where the output is positive.
    func backward(_ dy: Tensor, rectified: Bool) -> Tensor {
        guard let xhat = normalized, let y = output else { fatalError("BatchNorm.backward before a training forward") }
        precondition(dy.count == xhat.count, "BatchNorm.backward: gradient \(dy.shape) does not match the input \(xhat.shape)")
        let (n, hw) = geometry(dy)
        let c = channels
        let dx = Tensor.reuse(&gradInput, shape: dy.shape)
        let m = Float(n * hw)
        invStd.withUnsafeBufferPointer { inv in
            parallel.run(count: c) { _, range in
                for ch in range {
                    var sumDy: Float = 0, sumDyXhat: Float = 0
                    for i in 0..<n {
                        let base = (i * c + ch) * hw
                        let (s, p) = VectorSums.gradientSums(dy.data + base, xhat.data + base, out: y.data + base,
                                                             rectified: rectified, count: hw)
                        sumDy += s
                        sumDyXhat += p
                    }
                    gamma.grad[ch] = sumDyXhat
                    beta.grad[ch] = sumDy
                    let k = gamma.value[ch] * inv[ch] / m
                    for i in 0..<n {
                        let base = (i * c + ch) * hw
                        VectorSums.batchNormInputGradient(dy.data + base, xhat.data + base, out: y.data + base,
                                                          rectified: rectified, k: k, m: m, sumG: sumDy, sumGH: sumDyXhat,
                                                          into: dx.data + base, count: hw)
                    }
                }
            }
        }
        return dx
    }
}
