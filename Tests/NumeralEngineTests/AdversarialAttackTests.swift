import XCTest
@testable import NumeralEngine

/// FGSM, PGD and the square attack on small networks whose answers are known: perturbations stay
/// in the ε-ball and in [0, 1], the attacks really fool, PGD is at least as strong as FGSM, a seed
/// repeats a run, and the gradient-free attack still works when gradients are hidden.
final class AdversarialAttackTests: XCTestCase {
    static let side = 8
    static let features = side * side

    /// A linear two-class model on 8×8 images: class 0 when the left half is brighter.
    private func linearModel() throws -> InputGradient {
        let dense = Dense(inFeatures: Self.features, outFeatures: 2)
        for r in 0..<Self.side {
            for c in 0..<Self.side {
                let w: Float = c < Self.side / 2 ? 1 : -1
                dense.weight.value[r * Self.side + c] = w           // class 0
                dense.weight.value[Self.features + r * Self.side + c] = -w  // class 1
            }
        }
        dense.bias.value.fill(0)
        return try InputGradient(Sequential([Flatten(), dense]))
    }

    /// A small convolutional network with random weights, to check bounds and determinism on
    /// gradients that are not constant.
    private func convModel(seed: UInt64 = 5) throws -> InputGradient {
        let net = Sequential([
            Conv2D(inChannels: 1, outChannels: 4, kernel: 3, padding: 1), BatchNorm(channels: 4), ReLU(), MaxPool(size: 2),
            Conv2D(inChannels: 4, outChannels: 6, kernel: 3, padding: 1), ReLU(),
            GlobalAveragePool(), Dense(inFeatures: 6, outFeatures: 3),
        ])
        var rng = SeededGenerator(seed: seed)
        for p in net.parameters { for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() * 0.5 } }
        return try InputGradient(net)
    }

    /// A random two-layer perceptron without biases: its readings vary from image to image and its
    /// loss is not linear in the input, so several steps can find what one cannot.
    private func mlpModel(seed: UInt64 = 12) throws -> InputGradient {
        let hidden = Dense(inFeatures: Self.features, outFeatures: 16), out = Dense(inFeatures: 16, outFeatures: 3)
        var rng = SeededGenerator(seed: seed)
        for p in [hidden.weight, out.weight] { for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() * 0.5 } }
        hidden.bias.value.fill(0)
        out.bias.value.fill(0)
        return try InputGradient(Sequential([Flatten(), hidden, ReLU(), out]))
    }

    /// Images whose left or right half is brighter by a small margin, with noise: the linear
    /// model reads them all correctly, but a change of 0.1 per pixel flips every one.
    private func halves(count: Int, seed: UInt64) -> (images: [Float], labels: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var images: [Float] = [], labels: [Int] = []
        for k in 0..<count {
            let label = k % 2
            for _ in 0..<Self.side {
                for c in 0..<Self.side {
                    let left = c < Self.side / 2
                    let bright = (left && label == 0) || (!left && label == 1)
                    images.append(0.5 + (bright ? 0.05 : -0.05) + (rng.nextFloat() - 0.5) * 0.02)
                }
            }
            labels.append(label)
        }
        return (images, labels)
    }

    private func randomImages(count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        // Some pixels at the very edges of [0, 1], where clipping matters.
        return (0..<(count * Self.features)).map { _ in
            let u = rng.nextFloat()
            return u < 0.2 ? 0 : u > 0.8 ? 1 : u
        }
    }

    private let shape = [1, side, side]

    func testFGSMFlipsALinearModelByTheSignOfItsGradient() throws {
        let model = try linearModel()
        let (images, labels) = halves(count: 20, seed: 1)
        let result = try AttackSettings.fgsm(epsilon: 0.1).run(on: model, images: images, labels: labels, sampleShape: shape, classes: 2)
        XCTAssertEqual(result.cleanAccuracy, 1)
        XCTAssertEqual(result.robustAccuracy, 0, "a 0.1 change per pixel against the margin of 0.05 flips every image")
        // The step is exactly ε against the true class: darker on the bright half, brighter on the other.
        for k in 0..<labels.count {
            for i in 0..<Self.features {
                let left = i % Self.side < Self.side / 2
                let towardsClass0: Float = left ? 1 : -1
                let expected = images[k * Self.features + i] + (labels[k] == 0 ? -0.1 : 0.1) * towardsClass0
                XCTAssertEqual(result.adversarial[k * Self.features + i], expected, accuracy: 1e-6)
            }
        }
    }

    func testASmallEpsilonDoesNotFoolTheLinearModel() throws {
        let model = try linearModel()
        let (images, labels) = halves(count: 20, seed: 2)
        for settings in [AttackSettings.fgsm(epsilon: 0.02), .pgd(epsilon: 0.02, steps: 10), .square(epsilon: 0.02, queries: 200)] {
            let result = try settings.run(on: model, images: images, labels: labels, sampleShape: shape, classes: 2)
            XCTAssertEqual(result.robustAccuracy, 1, "\(settings.summary): 0.02 per pixel cannot cross a margin of 0.04")
        }
    }

    func testEveryPerturbationStaysInTheBallAndInThePixelRange() throws {
        let model = try convModel()
        let images = randomImages(count: 24, seed: 3)
        let labels = (0..<24).map { $0 % 3 }
        let attacks: [AttackSettings] = [
            .fgsm(epsilon: 0.3), .fgsm(epsilon: 1.5, norm: .l2), .pgd(epsilon: 0.3, steps: 7, stepSize: 0.2, restarts: 2),
            .pgd(epsilon: 2, steps: 7, stepSize: 1, restarts: 2, norm: .l2), .square(epsilon: 0.3, queries: 50, restarts: 2),
        ]
        for settings in attacks {
            let result = try settings.run(on: model, images: images, labels: labels, sampleShape: shape, classes: 3, batchSize: 10)
            XCTAssertEqual(result.adversarial.count, images.count)
            XCTAssertLessThanOrEqual(result.largestPerturbation, settings.epsilon * (1 + 1e-5), settings.summary)
            var moved = false
            for k in 0..<labels.count {
                let distance = images[(k * Self.features)..<((k + 1) * Self.features)].withUnsafeBufferPointer { o in
                    result.adversarialSample(k).withUnsafeBufferPointer { a in
                        settings.norm.distance(a.baseAddress!, o.baseAddress!, count: Self.features)
                    }
                }
                XCTAssertLessThanOrEqual(distance, settings.epsilon * (1 + 1e-5), "\(settings.summary), sample \(k)")
                if distance > 0 { moved = true }
            }
            XCTAssertTrue(moved, "\(settings.summary) perturbed nothing")
            XCTAssertTrue(result.adversarial.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(settings.summary) left [0, 1]")
        }
    }

    func testPGDIsAtLeastAsStrongAsFGSM() throws {
        let model = try mlpModel()
        let images = randomImages(count: 60, seed: 4)
        // Label every image as the model reads it, so clean accuracy is 100 % and only the attack counts.
        let clean = try AttackSettings.fgsm(epsilon: 0.001).run(on: model, images: images, labels: Array(repeating: 0, count: 60),
                                                                 sampleShape: shape, classes: 3)
        let labels = clean.cleanPredictions
        let fgsm = try AttackSettings.fgsm(epsilon: 0.03).run(on: model, images: images, labels: labels, sampleShape: shape, classes: 3)
        let pgd = try AttackSettings.pgd(epsilon: 0.03, steps: 20).run(on: model, images: images, labels: labels, sampleShape: shape, classes: 3)
        XCTAssertEqual(fgsm.cleanAccuracy, 1)
        XCTAssertLessThan(fgsm.robustAccuracy, 0.8, "ε = 0.03 fools the random network on many images")
        XCTAssertLessThan(pgd.robustAccuracy, fgsm.robustAccuracy, "20 steps find flips one step misses")
        XCTAssertGreaterThan(pgd.robustAccuracy, 0, "the test needs images PGD cannot flip, or it proves little")
    }

    func testTheSameSeedRepeatsARunAndAnotherSeedDiffers() throws {
        let images = randomImages(count: 16, seed: 6)
        let labels = (0..<16).map { $0 % 3 }
        for make in [{ (seed: UInt64) in AttackSettings.pgd(epsilon: 0.2, steps: 5, restarts: 2, seed: seed) },
                     { (seed: UInt64) in AttackSettings.square(epsilon: 0.2, queries: 40, seed: seed) }] {
            let a = try make(1).run(on: try convModel(), images: images, labels: labels, sampleShape: shape, classes: 3, batchSize: 5)
            let b = try make(1).run(on: try convModel(), images: images, labels: labels, sampleShape: shape, classes: 3, batchSize: 5)
            let c = try make(2).run(on: try convModel(), images: images, labels: labels, sampleShape: shape, classes: 3, batchSize: 5)
            XCTAssertEqual(a.adversarial, b.adversarial)
            XCTAssertEqual(a.predictions, b.predictions)
            XCTAssertNotEqual(a.adversarial, c.adversarial, "the seed should drive the random start")
        }
    }

    /// A model that answers honestly but hides its gradients (as a defence that masks them would).
    private final class MaskedGradients: AttackModel {
        let inner: InputGradient
        init(_ inner: InputGradient) { self.inner = inner }
        func logits(_ input: Tensor) -> Tensor { inner.logits(input) }
        func inputGradient(_ dy: Tensor) -> Tensor {
            let g = inner.inputGradient(dy)
            g.fill(0)
            return g
        }
    }

    func testTheSquareAttackStillFoolsAModelThatMasksItsGradients() throws {
        let model = MaskedGradients(try linearModel())
        let (images, labels) = halves(count: 20, seed: 7)
        let pgd = try AttackSettings.pgd(epsilon: 0.1, steps: 20, randomStart: false).run(on: model, images: images, labels: labels,
                                                                                         sampleShape: shape, classes: 2)
        let square = try AttackSettings.square(epsilon: 0.1, queries: 300).run(on: model, images: images, labels: labels,
                                                                              sampleShape: shape, classes: 2)
        XCTAssertEqual(pgd.robustAccuracy, 1, "no gradient, no PGD step")
        XCTAssertLessThan(square.robustAccuracy, 0.5, "the score-based search does not need gradients")
    }

    func testTheSquareScheduleHalvesTheSquare() {
        XCTAssertEqual(SquareAttack.fraction(initial: 0.8, query: 0, of: 10000), 0.8)
        XCTAssertEqual(SquareAttack.fraction(initial: 0.8, query: 30, of: 10000), 0.4)
        XCTAssertEqual(SquareAttack.fraction(initial: 0.8, query: 600, of: 10000), 0.05)
        XCTAssertEqual(SquareAttack.fraction(initial: 0.8, query: 60, of: 1000), 0.05, "schedule stretched to a 1,000-query budget")
    }

    func testTrainingAttackModelRestoresTheGradientSettings() throws {
        let conv = Conv2D(inChannels: 1, outChannels: 2, kernel: 3, padding: 1)
        conv.computesInputGradient = false
        let net = Sequential([conv, ReLU(), GlobalAveragePool(), Dense(inFeatures: 2, outFeatures: 2)])
        var rng = SeededGenerator(seed: 1)
        for p in net.parameters { for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() } }
        let target = TrainingAttackModel(net)
        let x = Tensor(shape: [4, 1, 8, 8], values: randomImages(count: 4, seed: 9))
        target.begin()
        XCTAssertTrue(conv.computesInputGradient)
        XCTAssertFalse(conv.computesParameterGradients)
        GradientAttack.perturb(x, model: target, loss: .crossEntropy(labels: [0, 1, 0, 1]), norm: .linf, epsilon: 0.1,
                               stepSize: 0.125, steps: 1, randomStart: true, using: &rng)
        target.finish()
        XCTAssertFalse(conv.computesInputGradient)
        XCTAssertTrue(conv.computesParameterGradients)
        let original = Tensor(shape: [4, 1, 8, 8], values: randomImages(count: 4, seed: 9))
        for i in 0..<x.count {
            XCTAssertLessThanOrEqual(abs(x[i] - original[i]), 0.1 + 1e-6)
            XCTAssertTrue(x[i] >= 0 && x[i] <= 1)
        }
        XCTAssertNotEqual(x.array, original.array)
    }

    func testSettingsAreCheckedWithActionableMessages() {
        let images = [Float](repeating: 0.5, count: Self.features), labels = [0]
        func error(_ s: AttackSettings, labels: [Int] = [0], images: [Float]? = nil) -> AttackError? {
            do {
                _ = try s.run(on: try linearModel(), images: images ?? [Float](repeating: 0.5, count: Self.features), labels: labels,
                              sampleShape: shape, classes: 2)
                return nil
            } catch { return error as? AttackError }
        }
        XCTAssertEqual(error(.fgsm(epsilon: 0)), .invalidEpsilon(0, norm: .linf))
        XCTAssertEqual(error(.fgsm(epsilon: 1.5)), .invalidEpsilon(1.5, norm: .linf))
        XCTAssertNil(error(.fgsm(epsilon: 1.5, norm: .l2)), "an L2 ball may be larger than 1")
        XCTAssertEqual(error(.pgd(epsilon: 0.1, steps: 0)), .invalidSteps(0))
        XCTAssertEqual(error(.pgd(epsilon: 0.1, restarts: 0)), .invalidRestarts(0))
        XCTAssertEqual(error(.pgd(epsilon: 0.1, stepSize: -1)), .invalidStepSize(-1))
        var square = AttackSettings.square(epsilon: 0.1)
        square.norm = .l2
        XCTAssertEqual(error(square), .unsupportedNorm(method: "square", norm: .l2))
        XCTAssertEqual(error(.fgsm(epsilon: 0.1), labels: [0, 1]), .labelMismatch(samples: 1, labels: 2))
        XCTAssertEqual(error(.fgsm(epsilon: 0.1), labels: [2]), .labelOutOfRange(label: 2, classes: 2))
        XCTAssertEqual(error(.fgsm(epsilon: 0.1), images: images + [0]), .inputMismatch(values: 65, featuresPerSample: 64))
        XCTAssertTrue(AttackError.unsupportedNorm(method: "square", norm: .l2).description.contains("--norm linf"))
        _ = labels
    }
}
