import Foundation

/// Square Attack, L∞ (Andriushchenko et al., ECCV 2020): a random search that only reads the
/// model's scores, never its gradients, so a defence that merely masks gradients does not stop it.
///
/// Each sample starts from vertical stripes of ±ε; every query changes one random square of the
/// perturbation to ±ε (per channel) and keeps the change when the margin — the true class's logit
/// minus the best other — goes down. The square covers a share p of the image, halved on the
/// paper's schedule as the queries run out. A sample is fooled once its margin is negative; only
/// samples not yet fooled are queried.
struct SquareAttack {
    let settings: AttackSettings

    /// The share of the image a square covers at query `i` of `total` (the reference schedule,
    /// defined for 10,000 queries and stretched to the budget).
    static func fraction(initial: Float, query i: Int, of total: Int) -> Float {
        let t = Int(Double(i) / Double(max(total, 1)) * 10000)
        let bounds = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000, 10000]
        var p = initial
        for (level, upper) in bounds.enumerated().dropFirst() where t > bounds[level - 1] && t <= upper {
            p = initial / Float(1 << level)
        }
        return p
    }

    func run(on model: AttackModel, images: [Float], labels: [Int], sampleShape: [Int], batchSize: Int) -> AttackResult {
        let s = settings
        let features = sampleShape.reduce(1, *)
        let channels = sampleShape.count == 3 ? sampleShape[0] : 1
        let height = sampleShape.count >= 2 ? sampleShape[sampleShape.count - 2] : 1
        let width = sampleShape.last ?? features
        var result = AttackResult(settings: s, featuresPerSample: features, labels: labels)
        var rng = SeededGenerator(seed: s.seed)
        let eps = s.epsilon
        let batch = max(1, batchSize)
        var lo = 0
        while lo < labels.count {
            let hi = min(lo + batch, labels.count), m = hi - lo
            var origin = [Float](repeating: 0, count: m * features)
            for i in 0..<(m * features) { origin[i] = images[lo * features + i] }
            let batchLabels = Array(labels[lo..<hi])
            var best = origin
            var margin = [Float](repeating: 0, count: m)
            let x = Tensor(shape: [m] + sampleShape)
            x.copy(from: origin)
            var (predicted, confidence, fooled) = result.recordClean(model.logits(x), labels: batchLabels)
            // Reads a batch of candidates: margins, and whether (and as what) each fools the model.
            func evaluate(_ rows: [Int], _ candidates: Tensor) -> [(margin: Float, label: Int, confidence: Float)] {
                let logits = model.logits(candidates)
                result.sampleEvaluations += rows.count
                let classes = logits.shape[1]
                return rows.enumerated().map { j, k in
                    let row = logits.data + j * classes, y = batchLabels[k]
                    var other = -Float.infinity
                    for c in 0..<classes where c != y { other = max(other, row[c]) }
                    let r = LogitReading.read(logits, row: j)
                    return (row[y] - other, r.label, r.confidence)
                }
            }
            for _ in 0..<s.restarts {
                var active = (0..<m).filter { !fooled[$0] }
                if active.isEmpty { break }
                // Vertical stripes: one random sign per channel and column.
                var current = origin
                for k in active {
                    for c in 0..<channels {
                        for col in 0..<width {
                            let delta: Float = rng.next() & 1 == 0 ? -eps : eps
                            for row in 0..<height {
                                let i = k * features + (c * height + row) * width + col
                                current[i] = min(max(origin[i] + delta, 0), 1)
                            }
                        }
                    }
                }
                let candidates = Tensor(shape: [active.count] + sampleShape)
                func load(_ rows: [Int], from source: [Float]) {
                    candidates.resize(to: [rows.count] + sampleShape)
                    for (j, k) in rows.enumerated() {
                        source.withUnsafeBufferPointer {
                            (candidates.data + j * features).update(from: $0.baseAddress! + k * features, count: features)
                        }
                    }
                }
                func record(_ k: Int, _ reading: (margin: Float, label: Int, confidence: Float), from source: [Float]) {
                    margin[k] = reading.margin
                    predicted[k] = reading.label
                    confidence[k] = reading.confidence
                    for i in 0..<features { best[k * features + i] = source[k * features + i] }
                    if reading.margin < 0 { fooled[k] = true }
                }
                load(active, from: current)
                for (k, r) in zip(active, evaluate(active, candidates)) { record(k, r, from: current) }
                for query in 0..<s.steps {
                    active = active.filter { !fooled[$0] }
                    if active.isEmpty { break }
                    let p = Self.fraction(initial: s.squareFraction ?? 0.8, query: query, of: s.steps)
                    let side = max(1, min(min(height, width) - 1, Int((Float(height * width) * p).squareRoot().rounded())))
                    var proposal = current
                    for k in active {
                        let top = Int(rng.next() % UInt64(height - side + 1))
                        let left = Int(rng.next() % UInt64(width - side + 1))
                        // New signs for the square, drawn again (a few times) when they would not change it.
                        for _ in 0..<10 {
                            var changed = false
                            for c in 0..<channels {
                                let delta: Float = rng.next() & 1 == 0 ? -eps : eps
                                for row in top..<(top + side) {
                                    for col in left..<(left + side) {
                                        let i = k * features + (c * height + row) * width + col
                                        let v = min(max(origin[i] + delta, 0), 1)
                                        if abs(v - current[i]) > 1e-7 { changed = true }
                                        proposal[i] = v
                                    }
                                }
                            }
                            if changed { break }
                        }
                    }
                    load(active, from: proposal)
                    for (k, r) in zip(active, evaluate(active, candidates)) where r.margin < margin[k] {
                        let range = (k * features)..<((k + 1) * features)
                        current.replaceSubrange(range, with: proposal[range])
                        record(k, r, from: current)
                    }
                }
            }
            best.withUnsafeBufferPointer { b in
                origin.withUnsafeBufferPointer { o in
                    for k in 0..<m {
                        let d = AttackNorm.linf.distance(b.baseAddress! + k * features, o.baseAddress! + k * features, count: features)
                        result.largestPerturbation = max(result.largestPerturbation, d)
                    }
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
