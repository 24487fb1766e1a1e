import Foundation

/// Softmax followed by cross-entropy against integer labels, optionally label-smoothed.
/// Fused because the gradient of the pair is simply (p − target) / N.
public struct SoftmaxCrossEntropy {
    public var labelSmoothing: Float

    public init(labelSmoothing: Float = 0) { self.labelSmoothing = labelSmoothing }

    public struct Result {
        public let loss: Float
        public let correct: Int
        public let gradient: Tensor
    }

    public func callAsFunction(logits: Tensor, labels: [Int]) -> Result {
        let n = logits.shape[0], k = logits.shape[1]
        precondition(labels.count == n, "one label per row")
        let grad = Tensor(shape: logits.shape)
        var loss: Double = 0
        var correct = 0
        let off = labelSmoothing / Float(k), on = 1 - labelSmoothing + off
        for i in 0..<n {
            let row = logits.data + i * k, g = grad.data + i * k
            Softmax.apply(row, into: g, count: k)
            var best = 0
            for j in 1..<k where row[j] > row[best] { best = j }
            if best == labels[i] { correct += 1 }
            for j in 0..<k {
                let target = j == labels[i] ? on : off
                if target > 0 { loss -= Double(target) * log(Double(max(g[j], 1e-12))) }
                g[j] = (g[j] - target) / Float(n)
            }
        }
        return Result(loss: Float(loss / Double(n)), correct: correct, gradient: grad)
    }
}

public enum Softmax {
    /// Numerically stable softmax of `count` values.
    public static func apply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var m = -Float.infinity
        for j in 0..<count { m = max(m, x[j]) }
        var s: Float = 0
        for j in 0..<count { y[j] = expf(x[j] - m); s += y[j] }
        for j in 0..<count { y[j] /= s }
    }

    public static func probabilities(_ logits: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in apply(x.baseAddress!, into: y.baseAddress!, count: x.count) }
        }
        return out
    }
}
