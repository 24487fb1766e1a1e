/// Max pooling with a square window; the window's winner is remembered for backward.
/// Images of a batch are spread over the cores (one image runs on the calling thread).
public final class MaxPool: Layer {
    public let size: Int, stride: Int
    var parallel = ParallelChunks.machine
    private var output: Tensor?
    private var gradInput: Tensor?
    private var winners: [Int32] = []
    private var inputShape: [Int] = []

    public init(size: Int = 2, stride: Int? = nil) {
        self.size = size
        self.stride = stride ?? size
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4, "MaxPool expects [N, C, H, W], got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        precondition(h >= size && w >= size, "MaxPool input \(h)x\(w) is smaller than its \(size)x\(size) window")
        let oh = (h - size) / stride + 1, ow = (w - size) / stride + 1
        let y = Tensor.reuse(&output, n, c, oh, ow)
        inputShape = x.shape
        if !training && size == 2 && stride == 2 {
            parallel.run(count: n) { _, range in
                forwardPairs(x, into: y, planes: range.lowerBound * c..<range.upperBound * c)
            }
            return y
        }
        if training && winners.count != y.count { winners = [Int32](repeating: 0, count: y.count) }
        let (size, stride) = (self.size, self.stride)
        winners.withUnsafeMutableBufferPointer { win in
            let win = win
            if training && size == 2 && stride == 2 {
                parallel.run(count: n) { _, range in
                    forwardPairs(x, into: y, winners: win.baseAddress!, planes: range.lowerBound * c..<range.upperBound * c)
                }
                return
            }
            parallel.run(count: n) { _, range in
                for plane in (range.lowerBound * c)..<(range.upperBound * c) {
                    let src = x.data + plane * h * w
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            var best = -Float.infinity, bestIndex = 0
                            for ky in 0..<size {
                                let row = (oy * stride + ky) * w
                                for kx in 0..<size {
                                    let idx = row + ox * stride + kx
                                    if src[idx] > best { best = src[idx]; bestIndex = idx }
                                }
                            }
                            let o = (plane * oh + oy) * ow + ox
                            y.data[o] = best
                            if training { win[o] = Int32(bestIndex) }
                        }
                    }
                }
            }
        }
        return y
    }

    /// The common 2×2 window at inference: no winners to remember, so the loop is branch-free.
    private func forwardPairs(_ x: Tensor, into y: Tensor, planes: Range<Int>) {
        let (h, w) = (x.shape[2], x.shape[3])
        let (oh, ow) = (y.shape[2], y.shape[3])
        for plane in planes {
            let src = x.data + plane * h * w
            let dst = y.data + plane * oh * ow
            for oy in 0..<oh {
                let top = src + 2 * oy * w, bottom = top + w
                let out = dst + oy * ow
                for ox in 0..<ow {
                    let i = 2 * ox
                    out[ox] = max(max(top[i], top[i + 1]), max(bottom[i], bottom[i + 1]))
                }
            }
        }
    }

    /// The 2×2 window in training: the same winners as the general loop (the first of equal
    /// values, in reading order), with the four candidates compared directly.
    private func forwardPairs(_ x: Tensor, into y: Tensor, winners: UnsafeMutablePointer<Int32>, planes: Range<Int>) {
        let (h, w) = (x.shape[2], x.shape[3])
        let (oh, ow) = (y.shape[2], y.shape[3])
        for plane in planes {
            let src = x.data + plane * h * w
            let dst = y.data + plane * oh * ow
            let win = winners + plane * oh * ow
            for oy in 0..<oh {
                let topRow = 2 * oy * w, bottomRow = topRow + w
                for ox in 0..<ow {
                    let i = 2 * ox
                    var best = src[topRow + i], index = topRow + i
                    if src[topRow + i + 1] > best { best = src[topRow + i + 1]; index = topRow + i + 1 }
                    if src[bottomRow + i] > best { best = src[bottomRow + i]; index = bottomRow + i }
                    if src[bottomRow + i + 1] > best { best = src[bottomRow + i + 1]; index = bottomRow + i + 1 }
                    dst[oy * ow + ox] = best
                    win[oy * ow + ox] = Int32(index)
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(inputShape.count == 4 && dy.count == winners.count, "MaxPool.backward needs a training forward first")
        let dx = Tensor.reuse(&gradInput, shape: inputShape)
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let outPlane = dy.count / max(n * c, 1)
        winners.withUnsafeBufferPointer { win in
            let win = win
            parallel.run(count: n) { _, range in
                for plane in (range.lowerBound * c)..<(range.upperBound * c) {
                    let d = dx.data + plane * h * w
                    d.update(repeating: 0, count: h * w)
                    let g = dy.data + plane * outPlane
                    let wp = win.baseAddress! + plane * outPlane
                    for o in 0..<outPlane { d[Int(wp[o])] += g[o] }
                }
            }
        }
        return dx
    }
}
