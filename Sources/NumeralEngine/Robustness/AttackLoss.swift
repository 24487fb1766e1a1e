/// The loss a gradient attack climbs, given as its gradient with respect to the logits.
public enum AttackLoss {
    /// Cross-entropy against the true labels (FGSM, PGD, Madry's and Wong's adversarial training):
    /// the gradient of a row is softmax(logits) − one-hot(label).
    case crossEntropy(labels: [Int])
    /// KL(p ‖ softmax(logits)) away from fixed probabilities p, [N × classes] row by row (TRADES'
    /// inner maximization, p being the model's clean prediction): the gradient is softmax − p.
    case divergence(from: [Float])

    /// Writes ∂loss/∂logits into `dy` (same shape as `logits`), one row per sample.
    func gradient(_ logits: Tensor, into dy: Tensor) {
        let n = logits.shape[0], k = logits.shape[1]
        for i in 0..<n {
            let row = logits.data + i * k, g = dy.data + i * k
            Softmax.apply(row, into: g, count: k)
            switch self {
            case .crossEntropy(let labels): g[labels[i]] -= 1
            case .divergence(let p): for j in 0..<k { g[j] -= p[i * k + j] }
            }
        }
    }
}
