/// FGSM and PGD on a model's input gradients, a batch at a time.
///
/// `perturb` is the bare iteration adversarial training uses (the last iterate is the example);
/// `run` measures a model: every iterate the model reads is checked, a sample counts as fooled as
/// soon as one of them is misread (that iterate is kept), and each restart attacks again, from a
/// new random start, only the samples no earlier run fooled.
public struct GradientAttack {
    public let settings: AttackSettings

    public init(settings: AttackSettings) { self.settings = settings }

    /// Replaces the images in `x` ([N, …], pixel values in [0, 1]) by adversarial ones: an optional
    /// uniform random start in the ε-ball, then `steps` steps of `stepSize` up `loss`, each
    /// projected back onto the ball around the original image and into [0, 1].
    public static func perturb(_ x: Tensor, model: AttackModel, loss: AttackLoss, norm: AttackNorm, epsilon: Float,
                               stepSize: Float, steps: Int, randomStart: Bool, using rng: inout SeededGenerator) {
        let n = x.shape[0], features = x.count / max(n, 1)
        let origin = x.clone()
        if randomStart {
            for k in 0..<n {
                norm.randomStart(x.data + k * features, around: origin.data + k * features, epsilon: epsilon,
                                 count: features, using: &rng)
            }
        }
        iterate(x, origin: origin, model: model, loss: loss, norm: norm, epsilon: epsilon, stepSize: stepSize,
                steps: steps, observe: nil)
    }

    /// `steps` ascent steps on `x` around `origin`; `observe` sees the logits of every iterate
    /// before it is moved.
    public static func iterate(_ x: Tensor, origin: Tensor, model: AttackModel, loss: AttackLoss, norm: AttackNorm,
                        epsilon: Float, stepSize: Float, steps: Int, observe: ((Tensor) -> Void)?) {
        let n = x.shape[0], features = x.count / max(n, 1)
        let dy = Tensor(shape: [n, 1])
        for _ in 0..<steps {
            let logits = model.logits(x)
            observe?(logits)
            dy.resize(to: logits.shape)
            loss.gradient(logits, into: dy)
            let g = model.inputGradient(dy)
            precondition(g.count == x.count, "the input gradient \(g.shape) does not match the input \(x.shape)")
            for k in 0..<n {
                let xk = x.data + k * features
                norm.step(xk, gradient: g.data + k * features, stepSize: stepSize, count: features)
                norm.project(xk, around: origin.data + k * features, epsilon: epsilon, count: features)
            }
        }
    }

    /// Attacks every sample, `batchSize` at a time. Inputs are checked by `AttackSettings.run`.
    func run(on model: AttackModel, images: [Float], labels: [Int], sampleShape: [Int], batchSize: Int) -> AttackResult {
        let s = settings
        let features = sampleShape.reduce(1, *)
        var result = AttackResult(settings: s, featuresPerSample: features, labels: labels)
        var rng = SeededGenerator(seed: s.seed)
        let batch = max(1, batchSize)
        var lo = 0
        while lo < labels.count {
            let hi = min(lo + batch, labels.count), m = hi - lo
            let origin = Tensor(shape: [m] + sampleShape)
            images.withUnsafeBufferPointer { origin.data.update(from: $0.baseAddress! + lo * features, count: m * features) }
            let batchLabels = Array(labels[lo..<hi])
            var best = origin.array
            var (predicted, confidence, fooled) = result.recordClean(model.logits(origin), labels: batchLabels)
            for _ in 0..<s.restarts {
                let active = (0..<m).filter { !fooled[$0] }
                if active.isEmpty { break }
                let a = active.count
                let start = Tensor(shape: [a] + sampleShape), x = Tensor(shape: [a] + sampleShape)
                for (j, k) in active.enumerated() {
                    (start.data + j * features).update(from: origin.data + k * features, count: features)
                }
                x.copy(from: start)
                if s.randomStart {
                    for j in 0..<a {
                        s.norm.randomStart(x.data + j * features, around: start.data + j * features, epsilon: s.epsilon,
                                           count: features, using: &rng)
                    }
                }
                // Records the first iterate that fools the model for each sample.
                let observe = { (logits: Tensor) in
                    for (j, k) in active.enumerated() where !fooled[k] {
                        let r = LogitReading.read(logits, row: j)
                        guard r.label != batchLabels[k] else { continue }
                        fooled[k] = true
                        predicted[k] = r.label
                        confidence[k] = r.confidence
                        for i in 0..<features { best[k * features + i] = x.data[j * features + i] }
                    }
                }
                Self.iterate(x, origin: start, model: model, loss: .crossEntropy(labels: active.map { batchLabels[$0] }),
                             norm: s.norm, epsilon: s.epsilon, stepSize: s.stepSize, steps: s.steps, observe: observe)
                let last = model.logits(x)
                observe(last)
                result.sampleEvaluations += a * (s.steps + 1)
                // A sample that withstood the run keeps its last iterate, so it can be shown.
                for (j, k) in active.enumerated() where !fooled[k] {
                    let r = LogitReading.read(last, row: j)
                    predicted[k] = r.label
                    confidence[k] = r.confidence
                    for i in 0..<features { best[k * features + i] = x.data[j * features + i] }
                }
            }
            best.withUnsafeBufferPointer { b in
                for k in 0..<m {
                    let d = s.norm.distance(b.baseAddress! + k * features, origin.data + k * features, count: features)
                    result.largestPerturbation = max(result.largestPerturbation, d)
                }
            }
            result.adversarial += best
            result.predictions += predicted
            result.confidences += confidence
            lo = hi
        }
        return result
    }
}
