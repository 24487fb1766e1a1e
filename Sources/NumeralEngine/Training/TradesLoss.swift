import Foundation

/// TRADES' objective (Zhang et al. 2019) on one batch holding the N clean images followed by their
/// N adversarial copies: the mean of CE(clean, label) + β · KL(p_clean ‖ p_adversarial), and its
/// gradient for both halves (the divergence's gradient flows through the clean prediction too, as
/// in the reference implementation). `correct` counts the clean half.
public struct TradesLoss {
    public var beta: Float
    public var labelSmoothing: Float

    public init(beta: Float, labelSmoothing: Float = 0) {
        self.beta = beta
        self.labelSmoothing = labelSmoothing
    }

    public func callAsFunction(logits: Tensor, labels: [Int]) -> SoftmaxCrossEntropy.Result {
        let n = labels.count, k = logits.shape[1]
        precondition(logits.shape[0] == 2 * n, "TRADES takes the clean batch followed by its adversarial copy")
        let grad = Tensor(shape: logits.shape)
        var loss: Double = 0
        var correct = 0
        let off = labelSmoothing / Float(k), on = 1 - labelSmoothing + off
        var p = [Float](repeating: 0, count: k), q = [Float](repeating: 0, count: k)
        for i in 0..<n {
            let clean = logits.data + i * k, adversarial = logits.data + (n + i) * k
            Softmax.apply(clean, into: &p, count: k)
            Softmax.apply(adversarial, into: &q, count: k)
            var best = 0
            for j in 1..<k where clean[j] > clean[best] { best = j }
            if best == labels[i] { correct += 1 }
            var kl: Double = 0
            var logRatio = [Float](repeating: 0, count: k)
            for j in 0..<k {
                logRatio[j] = logf(max(p[j], 1e-30)) - logf(max(q[j], 1e-30))
                kl += Double(p[j]) * Double(logRatio[j])
            }
            let gc = grad.data + i * k, ga = grad.data + (n + i) * k
            for j in 0..<k {
                let target = j == labels[i] ? on : off
                if target > 0 { loss -= Double(target) * log(Double(max(p[j], 1e-12))) }
                gc[j] = (p[j] - target + beta * p[j] * (logRatio[j] - Float(kl))) / Float(n)
                ga[j] = beta * (q[j] - p[j]) / Float(n)
            }
            loss += Double(beta) * kl
        }
        return SoftmaxCrossEntropy.Result(loss: Float(loss / Double(n)), correct: correct, gradient: grad)
    }
}
