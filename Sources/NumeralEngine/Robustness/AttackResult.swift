import Foundation

/// What an attack did to a set of samples: the perturbed samples, the model's readings before and
/// after, and the accuracies. A sample counts as robust only if it is read correctly both clean
/// and under attack (a sample already misread clean is left as it is).
public struct AttackResult: Sendable {
    public let settings: AttackSettings
    public let featuresPerSample: Int
    public let labels: [Int]
    /// The perturbed samples, one after another: for a fooled sample the first perturbation that
    /// fooled the model, otherwise the attack's last one.
    public internal(set) var adversarial: [Float]
    public internal(set) var cleanPredictions: [Int]
    public internal(set) var cleanConfidences: [Float]
    public internal(set) var predictions: [Int]
    public internal(set) var confidences: [Float]
    /// The largest perturbation of any sample, in the attack's norm (at most ε).
    public internal(set) var largestPerturbation: Float = 0
    /// Forward passes through the model, in samples (what a query-limited attack spends).
    public internal(set) var sampleEvaluations: Int = 0

    init(settings: AttackSettings, featuresPerSample: Int, labels: [Int]) {
        self.settings = settings
        self.featuresPerSample = featuresPerSample
        self.labels = labels
        adversarial = []
        adversarial.reserveCapacity(labels.count * featuresPerSample)
        cleanPredictions = []
        cleanConfidences = []
        predictions = []
        confidences = []
    }

    /// Records a batch's clean readings (`logits` of its `labels.count` unperturbed samples):
    /// what each was read as, how sure, and whether it is already misread.
    mutating func recordClean(_ logits: Tensor, labels batchLabels: [Int])
        -> (predicted: [Int], confidence: [Float], fooled: [Bool]) {
        sampleEvaluations += batchLabels.count
        var predicted: [Int] = [], confidence: [Float] = [], fooled: [Bool] = []
        for (k, label) in batchLabels.enumerated() {
            let r = LogitReading.read(logits, row: k)
            predicted.append(r.label)
            confidence.append(r.confidence)
            fooled.append(r.label != label)
            cleanPredictions.append(r.label)
            cleanConfidences.append(r.confidence)
        }
        return (predicted, confidence, fooled)
    }

    public var count: Int { labels.count }
    public var cleanCorrect: Int { zip(cleanPredictions, labels).filter { $0 == $1 }.count }
    public var robustCorrect: Int { zip(predictions, labels).filter { $0 == $1 }.count }
    public var cleanAccuracy: Double { count == 0 ? 0 : Double(cleanCorrect) / Double(count) }
    public var robustAccuracy: Double { count == 0 ? 0 : Double(robustCorrect) / Double(count) }

    /// The i-th perturbed sample.
    public func adversarialSample(_ i: Int) -> ArraySlice<Float> {
        adversarial[(i * featuresPerSample)..<((i + 1) * featuresPerSample)]
    }
}

/// Argmax and its softmax probability for each row of a logits tensor.
enum LogitReading {
    static func read(_ logits: Tensor, row: Int) -> (label: Int, confidence: Float) {
        let k = logits.shape[1]
        let p = logits.data + row * k
        var best = 0
        for j in 1..<k where p[j] > p[best] { best = j }
        var sum: Float = 0
        for j in 0..<k { sum += expf(p[j] - p[best]) }
        return (best, 1 / sum)
    }
}
