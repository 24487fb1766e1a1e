import Foundation
import NumeralEngine
import NumeralRecognition
import NumeralVision
import XCTest

/// Attacks on the shipped model and adversarial training on a small one.
final class RobustnessTests: XCTestCase {
    private func testDigits(_ count: Int) throws -> LabeledImages {
        TrainingData.mnist(try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test).prefix(count))
    }

    func testFGSMAtPointThreeBreaksTheShippedModelAndPGDIsStronger() throws {
        let model = try TestData.shippedModel()
        let images = try testDigits(100)
        let fgsm = try RobustnessEvaluation.measure(model, on: images, attack: .fgsm(epsilon: 0.3), dataset: "t").result
        XCTAssertGreaterThanOrEqual(fgsm.cleanAccuracy, 0.98)
        XCTAssertLessThan(fgsm.robustAccuracy, 0.5, "an undefended model should fall well below half under FGSM at ε = 0.3")
        let fgsmSmall = try RobustnessEvaluation.measure(model, on: images, attack: .fgsm(epsilon: 0.1), dataset: "t").result
        let pgd = try RobustnessEvaluation.measure(model, on: images, attack: .pgd(epsilon: 0.1, steps: 10), dataset: "t").result
        XCTAssertLessThanOrEqual(pgd.robustAccuracy, fgsmSmall.robustAccuracy)
        XCTAssertLessThan(pgd.robustAccuracy, fgsm.cleanAccuracy - 0.2, "PGD at ε = 0.1 must really hurt")
        for result in [fgsm, fgsmSmall, pgd] {
            XCTAssertLessThanOrEqual(result.largestPerturbation, result.settings.epsilon + 1e-6)
            XCTAssertTrue(result.adversarial.allSatisfy { $0 >= 0 && $0 <= 1 })
            for k in 0..<result.count {
                let original = images.image(k), attacked = result.adversarialSample(k)
                for (o, a) in zip(original, attacked) { XCTAssertLessThanOrEqual(abs(a - o), result.settings.epsilon + 1e-6) }
            }
        }
        // The readings after the attack are the model's own predictions of the perturbed digits.
        for k in 0..<10 {
            let p = model.predict(Array(pgd.adversarialSample(k)))
            XCTAssertEqual(p.indices.max { p[$0] < p[$1] }, pgd.predictions[k], "digit \(k)")
        }
    }

    func testTheSquareAttackFindsWhatGradientsFindOnAnUndefendedModel() throws {
        let model = try TestData.shippedModel()
        let images = try testDigits(40)
        let square = try RobustnessEvaluation.measure(model, on: images, attack: .square(epsilon: 0.3, queries: 300), dataset: "t").result
        XCTAssertLessThan(square.robustAccuracy, 0.6, "random search on the scores alone breaks the undefended model at ε = 0.3")
        XCTAssertLessThanOrEqual(square.largestPerturbation, 0.3 + 1e-6)
    }

    func testACardRecordsRobustnessAndOlderCardsStillRead() throws {
        var card = ModelCard(id: "m", architecture: .small)
        let record = RobustnessRecord(attack: .pgd(epsilon: 0.3, steps: 40), dataset: "mnist-test, first 1000", count: 1000,
                                      cleanAccuracy: 0.99, robustAccuracy: 0.9, seconds: 12)
        card.record(record)
        card.record(record)  // the same attack on the same data replaces, not duplicates
        XCTAssertEqual(card.robustness?.count, 1)
        XCTAssertEqual(card.metrics["robust_pgd40_linf_0.3"], 0.9)
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.json").path
        try card.write(path: path)
        let read = try ModelCard.read(path: path)
        XCTAssertEqual(read.robustness, [record])
        // A card written before the field existed still reads, with no robustness.
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["robustness"] = nil
        let old = try ModelCard.decode(try JSONSerialization.data(withJSONObject: object), path: "old.json")
        XCTAssertNil(old.robustness)
        XCTAssertEqual(old.id, "m")
    }

    func testTheSmallestFlipChangesTheReadingWithinItsRadius() throws {
        let model = try TestData.shippedModel()
        let images = try testDigits(3)
        for k in 0..<3 {
            let pixels = Array(images.image(k))
            let flip = try XCTUnwrap(try SmallestFlip.find(model: model, pixels: pixels), "digit \(k) of an undefended model flips within 0.5")
            XCTAssertEqual(flip.reading, Int(images.labels[k]))
            XCTAssertNotEqual(flip.becomes, flip.reading)
            XCTAssertTrue(flip.epsilon > 0 && flip.epsilon < 0.5)
            for (a, b) in zip(pixels, flip.perturbed) { XCTAssertLessThanOrEqual(abs(a - b), flip.epsilon + 1e-6) }
            let p = model.predict(flip.perturbed)
            XCTAssertEqual(p.indices.max { p[$0] < p[$1] }, flip.becomes)
            // Bisection: half the radius found does not flip it with the same attack.
            var half = flip.attack
            half.epsilon = flip.epsilon / 2
            half.stepSize = AttackSettings.defaultStepSize(epsilon: half.epsilon, steps: half.steps)
            let r = try RobustnessEvaluation.measure(model, on: images.subset([k]), attack: half, dataset: "t").result
            XCTAssertEqual(r.predictions[0], flip.reading)
        }
    }

    private func adversarialRun(_ method: AdversarialTraining.Method, seed: UInt64) throws -> (DigitModel, [EpochRecord]) {
        let train = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .train).prefix(600)
        let all = TrainingData.mnist(train)
        var config = TrainingConfiguration.quick
        config.architecture = .small
        config.epochs = 1
        config.seed = seed
        config.adversarial = AdversarialTraining(method: method, epsilon: 0.3, steps: method == .fgsmRS ? nil : 2)
        let model = DigitModel(card: ModelCard(id: "adv", architecture: config.architecture), network: config.architecture.build(seed: seed))
        let trainer = try DigitTrainer(configuration: config, model: model, train: all.subset(0..<400),
                                       validation: all.subset(400..<600), augmentation: nil)
        return (model, trainer.run())
    }

    func testAdversarialTrainingRunsAndIsDeterministicForASeed() throws {
        for method in AdversarialTraining.Method.allCases {
            let (a, historyA) = try adversarialRun(method, seed: 5)
            let (b, historyB) = try adversarialRun(method, seed: 5)
            XCTAssertEqual(historyA.count, 1)
            XCTAssertTrue(historyA[0].trainLoss.isFinite, "\(method)")
            XCTAssertEqual(historyA.map(\.trainLoss), historyB.map(\.trainLoss), "\(method): same seed, same run")
            XCTAssertEqual(a.network.namedTensors.map(\.1.array), b.network.namedTensors.map(\.1.array), "\(method): same weights")
            let (c, _) = try adversarialRun(method, seed: 6)
            XCTAssertNotEqual(a.network.namedTensors.map(\.1.array), c.network.namedTensors.map(\.1.array), "\(method): seed matters")
        }
    }

    func testAdversarialTrainingTrainsOnOtherImagesThanPlainTraining() throws {
        let (adversarial, _) = try adversarialRun(.fgsmRS, seed: 5)
        let train = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .train).prefix(600)
        let all = TrainingData.mnist(train)
        var config = TrainingConfiguration.quick
        config.architecture = .small
        config.epochs = 1
        config.seed = 5
        let plain = DigitModel(card: ModelCard(id: "plain", architecture: config.architecture), network: config.architecture.build(seed: 5))
        _ = try DigitTrainer(configuration: config, model: plain, train: all.subset(0..<400), validation: all.subset(400..<600),
                             augmentation: nil).run()
        XCTAssertNotEqual(adversarial.network.namedTensors.map(\.1.array), plain.network.namedTensors.map(\.1.array))
    }

    func testAdversarialSettingsAreChecked() {
        var c = TrainingConfiguration.quick
        c.adversarial = AdversarialTraining(method: .fgsmRS, epsilon: 0)
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("--adv-epsilon")) }
        c.adversarial = AdversarialTraining(method: .fgsmRS, epsilon: 0.3, steps: 3)
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("pgd")) }
        c.adversarial = AdversarialTraining(method: .fgsmRS, epsilon: 0.3)
        XCTAssertNoThrow(try c.validate())
        XCTAssertEqual(c.adversarial?.stepSize ?? 0, 0.375, accuracy: 1e-6, "Wong et al.'s α = 1.25·ε")
        XCTAssertEqual(AdversarialTraining(method: .trades, epsilon: 0.3).beta, 6)
        let ramp = AdversarialTraining(method: .pgd, epsilon: 0.3, warmupEpochs: 2)
        XCTAssertEqual(ramp.epsilon(atStep: 49, stepsPerEpoch: 100), 0.075, accuracy: 1e-6)
        XCTAssertEqual(ramp.epsilon(atStep: 500, stepsPerEpoch: 100), 0.3)
    }
}
