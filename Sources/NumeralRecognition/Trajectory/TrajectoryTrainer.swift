import Foundation
import NumeralEngine
import NumeralVision

/// Trains a `PenTrajectoryModel` on pen-drawn digits: every epoch each drawing is augmented
/// (`DrawingAugmenter`) and encoded afresh; AdamW with a cosine schedule. Deterministic for a seed.
public final class TrajectoryTrainer {
    public let configuration: TrajectoryTrainingConfiguration
    public let model: PenTrajectoryModel
    public var augmenter: DrawingAugmenter
    private let train: [PenSample]
    private let validation: [PenSample]

    public init(configuration: TrajectoryTrainingConfiguration, model: PenTrajectoryModel,
                train: [PenSample], validation: [PenSample]) throws {
        try configuration.validate()
        guard !train.isEmpty else { throw RecognitionError.invalidTrainingConfiguration("there are no pen-drawn training digits") }
        self.configuration = configuration
        self.augmenter = configuration.augmenter
        self.model = model
        self.train = train
        self.validation = validation
    }

    /// Trains and returns one record per epoch (validation: the clean `validation` drawings).
    public func run(progress: (EpochRecord) -> Void = { _ in }) -> [EpochRecord] {
        let c = configuration
        for case let dropout as Dropout in model.network.layers { dropout.reseed(c.seed &+ 1) }
        let optimizer = Adam(parameters: model.network.parameters, weightDecay: c.weightDecay, decoupledWeightDecay: true)
        let loss = SoftmaxCrossEntropy(labelSmoothing: c.labelSmoothing)
        let features = model.encoder.featureCount
        let batches = (train.count + c.batchSize - 1) / c.batchSize
        let totalSteps = batches * c.epochs
        var rng = SeededGenerator(seed: c.seed)
        var order = Array(train.indices)
        let batch = Tensor(shape: [c.batchSize, features])
        var history: [EpochRecord] = []
        var step = 0
        for epoch in 0..<c.epochs {
            let started = Date()
            order.shuffle(using: &rng)
            var lossSum = 0.0, correct = 0, seen = 0
            var rate: Float = 0
            for b in 0..<batches {
                let indices = Array(order[(b * c.batchSize)..<min((b + 1) * c.batchSize, train.count)])
                batch.resize(to: [indices.count, features])
                var labels: [Int] = []
                for (k, index) in indices.enumerated() {
                    let drawing = augmenter.augment(train[index].drawing, using: &rng)
                    let out = UnsafeMutableBufferPointer(start: batch.data + k * features, count: features)
                    if (try? model.encoder.encode(drawing, into: out)) == nil {
                        for i in 0..<features { out[i] = 0 }
                    }
                    labels.append(train[index].label)
                }
                let result = loss(logits: model.network.forward(batch, training: true), labels: labels)
                _ = model.network.backward(result.gradient)
                rate = LearningRateSchedule.cosine.rate(peak: c.learningRate, step: step, totalSteps: totalSteps, warmupSteps: batches)
                optimizer.step(learningRate: rate)
                step += 1
                lossSum += Double(result.loss) * Double(indices.count)
                correct += result.correct
                seen += indices.count
            }
            let (validationLoss, validationAccuracy) = evaluate(validation)
            let record = EpochRecord(epoch: epoch + 1, trainLoss: lossSum / Double(max(seen, 1)),
                                     trainAccuracy: Double(correct) / Double(max(seen, 1)), validationLoss: validationLoss,
                                     validationAccuracy: validationAccuracy, learningRate: Double(rate),
                                     seconds: Date().timeIntervalSince(started))
            history.append(record)
            progress(record)
        }
        return history
    }

    /// Mean loss and accuracy of the trajectory model alone on whole drawings.
    public func evaluate(_ samples: [PenSample]) -> (loss: Double, accuracy: Double) {
        guard !samples.isEmpty else { return (0, 0) }
        var loss = 0.0, correct = 0
        for sample in samples {
            guard let p = try? model.predict(sample.drawing) else { loss += log(1e12); continue }
            loss -= log(Double(max(p[sample.label], 1e-12)))
            if p.indices.max(by: { p[$0] < p[$1] }) == sample.label { correct += 1 }
        }
        return (loss / Double(samples.count), Double(correct) / Double(samples.count))
    }
}
