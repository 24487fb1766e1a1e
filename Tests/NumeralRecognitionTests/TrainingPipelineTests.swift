import NumeralEngine
import NumeralRecognition
import NumeralVision
import XCTest

final class TrainingPipelineTests: XCTestCase {
    private func smallRun(seed: UInt64, images: Int = 3000) throws -> (DigitModel, [EpochRecord], DigitTrainer) {
        let train = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .train).prefix(images + 500)
        let all = TrainingData.mnist(train)
        var config = TrainingConfiguration.quick
        config.architecture = .small   // the preset's network is 3× the work; this one learns in seconds
        config.epochs = 2
        config.seed = seed
        let model = DigitModel(card: ModelCard(id: "test", architecture: config.architecture), network: config.architecture.build(seed: seed))
        let augmenter = DigitAugmenter()
        let trainer = try DigitTrainer(configuration: config, model: model, train: all.subset(0..<images),
                                       validation: all.subset(images..<(images + 500)),
                                       augmentation: { s, d, r in augmenter.augment(s, into: d, using: &r) })
        return (model, trainer.run(), trainer)
    }

    func testQuickTrainingLearnsAndIsDeterministic() throws {
        let (a, historyA, _) = try smallRun(seed: 7)
        XCTAssertEqual(historyA.count, 2)
        XCTAssertGreaterThan(historyA.last!.validationAccuracy, 0.85, "a small CNN must learn MNIST quickly")
        XCTAssertLessThan(historyA.last!.trainLoss, historyA.first!.trainLoss)
        let (b, historyB, _) = try smallRun(seed: 7)
        XCTAssertEqual(historyA.map(\.validationAccuracy), historyB.map(\.validationAccuracy), "same seed, same run")
        XCTAssertEqual(a.network.namedTensors.map(\.1.array), b.network.namedTensors.map(\.1.array), "same seed, bit-identical weights")
    }

    func testSavedModelLoadsWithIdenticalPredictions() throws {
        let (model, history, _) = try smallRun(seed: 3, images: 1000)
        model.card.epochs = history
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        try model.save(weightsPath: path)
        let loaded = try DigitModel.load(weightsPath: path)
        XCTAssertEqual(loaded.card.id, model.card.id)
        XCTAssertEqual(loaded.card.architecture, model.card.architecture)
        XCTAssertEqual(loaded.card.epochs, model.card.epochs)
        var rng = SeededGenerator(seed: 1)
        let x = (0..<784).map { _ in rng.nextFloat() }
        XCTAssertEqual(loaded.predict(x), model.predict(x))
    }

    func testMismatchedCardAndWeightsAreReported() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        let model = DigitModel(card: ModelCard(id: "x", architecture: .small))
        try model.save(weightsPath: path)
        var card = model.card
        card.architecture.stages = [[16], [32], [48]]
        try card.write(path: DigitModel.cardPath(forWeights: path))
        XCTAssertThrowsError(try DigitModel.load(weightsPath: path)) { error in
            XCTAssertTrue("\(error)".contains("shape"), "\(error)")
        }
    }

    func testMissingModelNamesWhereItLooked() {
        let locator = ModelLocator(environment: [:], executablePath: "/nonexistent/bin/numeral", currentDirectory: "/nonexistent")
        XCTAssertThrowsError(try locator.locate()) { error in
            guard case RecognitionError.modelNotFound(let searched) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(searched.contains("/nonexistent/share/numeral/Models/mnist-cnn.safetensors"))
            XCTAssertTrue("\(error)".contains("numeral train"))
        }
    }

    func testFineTunePhaseRunsAfterTheMainScheduleWithItsOwnSettings() throws {
        let full = TrainingConfiguration.full
        let f = try XCTUnwrap(full.fineTune)
        let phases = full.phases
        XCTAssertEqual(phases.count, 2)
        XCTAssertEqual(phases[0].epochs, full.epochs)
        XCTAssertEqual(phases[0].learningRate, full.learningRate)
        XCTAssertEqual(phases[0].recalibrateBatchNorm, false, "batch norm is re-estimated once, at the very end")
        XCTAssertNil(phases[0].fineTune)
        XCTAssertEqual(phases[1].epochs, f.epochs)
        XCTAssertEqual(phases[1].learningRate, f.learningRate)
        XCTAssertEqual(phases[1].batchSize, f.batchSize)
        XCTAssertEqual(phases[1].schedule, .cosine)
        XCTAssertEqual(phases[1].augmentationLevel, .light)
        XCTAssertEqual(phases[1].recalibrateBatchNorm, true)
        XCTAssertEqual(phases[1].seed, full.seed)
        XCTAssertEqual(TrainingConfiguration.quick.phases, [.quick])

        var broken = full
        broken.fineTune?.epochs = 0
        XCTAssertThrowsError(try broken.validate())
        broken = full
        broken.fineTune?.learningRate = .infinity
        XCTAssertThrowsError(try broken.validate())
    }

    func testInvalidConfigurationsAreRefused() {
        var c = TrainingConfiguration.quick
        c.epochs = 0
        XCTAssertThrowsError(try c.validate())
        c = .quick
        c.architecture.kernelSize = 4
        XCTAssertThrowsError(try c.validate())
        c = .quick
        c.learningRate = .nan
        XCTAssertThrowsError(try c.validate())
    }
}
