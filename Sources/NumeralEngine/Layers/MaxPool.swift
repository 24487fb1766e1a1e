/// Max pooling with a square window; the window's winner is remembered for backward.
public final class MaxPool: Layer {
    public let size: Int, stride: Int
    private var output: Tensor?
    private var gradInput: Tensor?
    private var winners: [Int32] = []
    private var inputShape: [Int] = []

    public init(size: Int = 2, stride: Int? = nil) {
        self.size = size
        self.stride = stride ?? size
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h - size) / stride + 1, ow = (w - size) / stride + 1
        let y = Tensor.reuse(&output, n, c, oh, ow)
        inputShape = x.shape
        if !training && size == 2 && stride == 2 {
            forwardPairs(x, into: y)
            return y
        }
        if training && winners.count != y.count { winners = [Int32](repeating: 0, count: y.count) }
        winners.withUnsafeMutableBufferPointer { win in
            for plane in 0..<(n * c) {
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
        return y
    }

    /// The common 2×2 window at inference: no winners to remember, so the loop is branch-free.
    private func forwardPairs(_ x: Tensor, into y: Tensor) {
        let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (y.shape[2], y.shape[3])
        for plane in 0..<planes {
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

    public func backward(_ dy: Tensor) -> Tensor {
        let dx = Tensor.reuse(&gradInput, shape: inputShape)
        dx.fill(0)
        let h = inputShape[2], w = inputShape[3]
        let outPlane = dy.shape[2] * dy.shape[3]
        for o in 0..<dy.count {
            let plane = o / outPlane
            dx.data[plane * h * w + Int(winners[o])] += dy.data[o]
        }
        return dx
    }
}
