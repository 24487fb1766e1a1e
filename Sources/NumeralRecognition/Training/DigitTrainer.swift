import Dispatch
import Foundation
import NumeralEngine

/// Where a running training is, reported after every batch for progress bars.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    public var loss: Double
    public var accuracy: Double
    public var learningRate: Double
    public var elapsed: Double
    /// Set once per epoch, after validation.
    public var finished: EpochRecord?
}

/// Trains a `DigitModel` with on-the-fly augmentation, a learning-rate schedule and optional early
/// stopping on the validation split. Runs are reproducible for a given seed: batch order and every
/// augmentation draw come from generators derived from (seed, epoch, batch, worker).
public final class DigitTrainer {
    /// Writes an augmented copy of a 28×28 image (first buffer) into the second.
    public typealias Augmentation = @Sendable (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, inout SeededGenerator) -> Void

    public let configuration: TrainingConfiguration
    public let model: DigitModel
    private let train: LabeledImages
    private let validation: LabeledImages
    private let augmentation: Augmentation?
    private let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    private let batchInput: Tensor
    /// The network as adversarial training attacks it (training mode).
    private let attackTarget: TrainingAttackModel

    public init(configuration: TrainingConfiguration, model: DigitModel, train: LabeledImages, validation: LabeledImages,
                augmentation: Augmentation?) throws {
        try configuration.validate()
        guard train.count > 0 else { throw RecognitionError.invalidTrainingConfiguration("there are no training images") }
        self.configuration = configuration
        self.model = model
        self.train = train
        self.validation = validation
        self.augmentation = configuration.augment ? augmentation : nil
        batchInput = Tensor(shape: [configuration.batchSize, 1, 28, 28])
        attackTarget = TrainingAttackModel(model.network)
    }

    private func makeOptimizer() -> Optimizer {
        let params = model.network.parameters
        switch configuration.optimizer {
        case .adamw: return Adam(parameters: params, weightDecay: configuration.weightDecay, decoupledWeightDecay: true)
        case .sgd: return SGD(parameters: params, momentum: 0.9, weightDecay: configuration.weightDecay, nesterov: true)
        }
    }

    /// Trains and returns the per-epoch history; with early stopping the best epoch's weights are restored.
    /// `shouldCancel` is polled between batches.
    public func run(progress: (TrainingProgress) -> Void = { _ in },
                    shouldCancel: () -> Bool = { false }) -> [EpochRecord] {
        EngineThreads.configure()
        let c = configuration
        // Dropout masks follow the run's seed, as everything else does, so a fine-tune repeats
        // exactly whether its network was built in this process or loaded from a file.
        for case let dropout as Dropout in model.network.layers { dropout.reseed(c.seed &+ 1) }
        let optimizer = makeOptimizer()
        let loss = SoftmaxCrossEntropy(labelSmoothing: c.labelSmoothing)
        let batchesPerEpoch = (train.count + c.batchSize - 1) / c.batchSize
        let totalSteps = batchesPerEpoch * c.epochs
        let warmupSteps = Int(c.warmupEpochs * Double(batchesPerEpoch))
        var stopping = EarlyStopping(patience: c.patience > 0 ? c.patience : Int.max)
        var best: [[Float]]? = nil
        var history: [EpochRecord] = []
        var order = Array(0..<train.count)
        var shuffler = SeededGenerator(seed: c.seed)
        let start = Date()
        var step = 0

        for epoch in 0..<c.epochs {
            let epochStart = Date()
            order.shuffle(using: &shuffler)
            var lossSum = 0.0, correct = 0, seen = 0
            var lr: Float = 0
            for b in 0..<batchesPerEpoch {
                if shouldCancel() { return history }
                let lo = b * c.batchSize, hi = min(lo + c.batchSize, train.count)
                let indices = Array(order[lo..<hi])
                fill(batchInput, with: indices, seed: c.seed ^ (UInt64(epoch) << 40) ^ (UInt64(b) << 8))
                let labels = indices.map { Int(train.labels[$0]) }
                let result: SoftmaxCrossEntropy.Result
                if let adversarial = c.adversarial {
                    var rng = SeededGenerator(seed: c.seed ^ 0xAD5E_2000_0000_0000 ^ (UInt64(epoch) << 40) ^ (UInt64(b) << 8))
                    let epsilon = adversarial.epsilon(atStep: step, stepsPerEpoch: batchesPerEpoch)
                    result = adversarialStep(adversarial, epsilon: epsilon, labels: labels, loss: loss, rng: &rng)
                } else {
                    result = loss(logits: model.network.forward(batchInput, training: true), labels: labels)
                }
                _ = model.network.backward(result.gradient)
                lr = c.schedule.rate(peak: c.learningRate, step: step, totalSteps: totalSteps, warmupSteps: warmupSteps)
                optimizer.step(learningRate: lr)
                model.weightsDidChange()
                step += 1
                lossSum += Double(result.loss) * Double(indices.count)
                correct += result.correct
                seen += indices.count
                progress(TrainingProgress(epoch: epoch + 1, epochs: c.epochs, batch: b + 1, batches: batchesPerEpoch,
                                          loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                                          learningRate: Double(lr), elapsed: Date().timeIntervalSince(start), finished: nil))
            }
            let (valLoss, valAcc) = evaluate(validation)
            let record = EpochRecord(epoch: epoch + 1, trainLoss: lossSum / Double(max(seen, 1)),
                                     trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                     validationLoss: valLoss, validationAccuracy: valAcc, learningRate: Double(lr),
                                     seconds: Date().timeIntervalSince(epochStart))
            history.append(record)
            progress(TrainingProgress(epoch: epoch + 1, epochs: c.epochs, batch: batchesPerEpoch, batches: batchesPerEpoch,
                                      loss: record.trainLoss, accuracy: record.trainAccuracy, learningRate: Double(lr),
                                      elapsed: Date().timeIntervalSince(start), finished: record))
            if c.patience > 0, validation.count > 0 {
                if stopping.record(valAcc, epoch: epoch) {
                    best = model.network.namedTensors.map(\.1.array)
                }
                if stopping.shouldStop { break }
            }
        }
        if let best {
            for ((_, t), values) in zip(model.network.namedTensors, best) { t.copy(from: values) }
            model.weightsDidChange()
        }
        if c.recalibrateBatchNorm == true, c.augment, augmentation != nil {
            // The running statistics were gathered on distorted images; the model will see clean ones.
            BatchNormRecalibration.run(model, on: train, passes: 60, shouldCancel: shouldCancel)
        }
        return history
    }

    /// Replaces the batch by adversarial examples (TRADES: adds them after the clean batch) and runs
    /// the forward pass and loss of the training step; the caller runs the backward pass.
    private func adversarialStep(_ a: AdversarialTraining, epsilon: Float, labels: [Int], loss: SoftmaxCrossEntropy,
                                 rng: inout SeededGenerator) -> SoftmaxCrossEntropy.Result {
        let target = attackTarget
        // α scales with ε while ε ramps up, keeping their ratio.
        let stepSize = a.stepSize * epsilon / a.epsilon
        switch a.method {
        case .fgsmRS, .pgd:
            target.begin()
            GradientAttack.perturb(batchInput, model: target, loss: .crossEntropy(labels: labels), norm: .linf,
                                   epsilon: epsilon, stepSize: stepSize, steps: a.steps, randomStart: true, using: &rng)
            target.finish()
            return loss(logits: model.network.forward(batchInput, training: true), labels: labels)
        case .trades:
            let n = labels.count
            let clean = batchInput.clone()
            target.begin()
            let logits = target.logits(clean)
            var p = [Float](repeating: 0, count: logits.count)
            let k = logits.shape[1]
            p.withUnsafeMutableBufferPointer { out in
                for i in 0..<n { Softmax.apply(logits.data + i * k, into: out.baseAddress! + i * k, count: k) }
            }
            // Starts next to the image (0.001·N(0, 1)), not anywhere in the ball, as TRADES does.
            for i in 0..<batchInput.count {
                batchInput[i] = min(max(clean[i] + 0.001 * rng.nextGaussian(), 0), 1)
            }
            let origin = clean
            GradientAttack.iterate(batchInput, origin: origin, model: target, loss: .divergence(from: p), norm: .linf,
                                   epsilon: epsilon, stepSize: stepSize, steps: a.steps, observe: nil)
            target.finish()
            let both = Tensor(shape: [2 * n] + Array(clean.shape.dropFirst()))
            both.data.update(from: clean.data, count: clean.count)
            (both.data + clean.count).update(from: batchInput.data, count: batchInput.count)
            let trades = TradesLoss(beta: a.beta ?? 6, labelSmoothing: loss.labelSmoothing)
            return trades(logits: model.network.forward(both, training: true), labels: labels)
        }
    }

    /// Mean loss (without smoothing) and accuracy on a labelled set.
    public func evaluate(_ set: LabeledImages) -> (loss: Double, accuracy: Double) { model.evaluate(set) }

    /// Copies (and augments, spread across the cores) the chosen images into the batch tensor.
    private func fill(_ input: Tensor, with indices: [Int], seed: UInt64) {
        input.resize(to: [indices.count, 1, 28, 28])
        let dst = input.data
        let augmentation = self.augmentation
        train.pixels.withUnsafeBufferPointer { src in
            let srcBase = src.baseAddress!
            let w = min(workers, indices.count)
            DispatchQueue.concurrentPerform(iterations: w) { worker in
                var rng = SeededGenerator(seed: seed &+ UInt64(worker) &* 0x9E37_79B9)
                let lo = indices.count * worker / w, hi = indices.count * (worker + 1) / w
                for k in lo..<hi {
                    let from = UnsafeBufferPointer(start: srcBase + indices[k] * 784, count: 784)
                    let to = UnsafeMutableBufferPointer(start: dst + k * 784, count: 784)
                    if let augmentation {
                        augmentation(from, to, &rng)
                    } else {
                        _ = to.initialize(from: from)
                    }
                }
            }
        }
    }
}
