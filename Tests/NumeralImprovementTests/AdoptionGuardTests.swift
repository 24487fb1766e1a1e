import Foundation
import NumeralEngine
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralVision
import XCTest

/// Issue 29, "improvement never drifts down": the adoption guard on real fine-tunes, kept small
/// (one short epoch, MNIST judged on its first 1,000 test images) so the whole class runs in seconds.
final class AdoptionGuardTests: XCTestCase {
    let style = HandwritingStyle(shear: 0.6, rotationDegrees: 20)

    /// On 1,000 images the default floor allows one image fewer than the shipped model, and these
    /// short fine-tunes sit right at it; the tests about the held-out rule give the floor room
    /// (0.5 point) so that rule alone decides.
    func quickSettings(maximumMNISTDrop: Double = 0.001) -> ImprovementSettings {
        ImprovementSettings(epochs: 1, feedbackImagesPerEpoch: 256, maximumMNISTDrop: maximumMNISTDrop, mnistEvaluationLimit: 1000)
    }

    func makeRegistry() throws -> ModelRegistry {
        try ModelRegistry(dataDirectory: try makeDataDirectory(self), shippedModelLocator: ModelLocator(explicitPath: try Fixtures.modelPath()))
    }

    /// Run twice on the same corrections (the CLI, then the dashboard's Improve): before the guard,
    /// both runs were adopted and MNIST stepped down each time.
    func testTwoRunsOnTheSameCorrectionsAdoptAtMostOneModel() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        try logFeedback(try styledPenDigits(writers: 26...26, style: style), model: base, store: registry.store)
        let settings = quickSettings(maximumMNISTDrop: 0.005)
        let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings)

        let first = try improver.run()
        print(first.text)
        var refusal: Error?
        do {
            let second = try improver.run()
            print(second.text)
        } catch {
            refusal = error
        }

        let adopted = try registry.list().filter { $0.origin == .adopted }.map(\.id)
        XCTAssertLessThanOrEqual(adopted.count, 1, "adopted: \(adopted)")
        XCTAssertTrue(first.adopted, "setup: the first run learns the style: \(first.reason)")
        if first.adopted {
            // The active model learned from exactly these drawings: a second run is refused before any work.
            XCTAssertTrue("\(refusal.map { "\($0)" } ?? "no refusal")".contains("Nothing new to learn"), "\(String(describing: refusal))")
            XCTAssertEqual(try registry.list().count, 2, "nothing trained or registered by the refused run")
            XCTAssertEqual(try registry.activeModelID(), first.candidateID)
        }
        // New corrections (some of them trained on) make a run worth doing again.
        try logFeedback(try styledPenDigits(writers: 27...27, style: style), model: base, store: registry.store)
        XCTAssertNoThrow(try Improver.preflight(registry: registry, settings: settings))
    }

    /// Drawings the model already reads right: the fine-tune cannot get more of them right, and a
    /// tie must not replace the active model.
    func testACandidateWithEqualHeldOutAccuracyIsRejected() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        // Beyond the 1,000 MNIST test images the guard judges on.
        let pool = TrainingData.mnist(test).subset(5000..<5200)
        let probabilities = base.predictBatch(pool)
        var easy = LabeledImages()
        for i in 0..<pool.count where easy.count < 60 {
            let p = probabilities[i]
            if p.indices.max(by: { p[$0] < p[$1] }) == Int(pool.labels[i]) { easy.append(Array(pool.image(i)), label: pool.labels[i]) }
        }
        try logFeedback(easy, model: base, store: registry.store)

        let report = try Improver(registry: registry, mnistTrain: train, mnistTest: test,
                                  settings: quickSettings(maximumMNISTDrop: 0.005)).run()
        print(report.text)

        XCTAssertEqual(report.heldOutFeedback.correctBefore, report.heldOutFeedback.count, "setup: the model reads them all")
        XCTAssertEqual(report.heldOutFeedback.correctAfter, report.heldOutFeedback.correctBefore, "setup: a tie")
        XCTAssertEqual(report.decision, .rejected, report.reason)
        XCTAssertTrue(report.reason.contains("a tie is no gain"), report.reason)
        XCTAssertEqual(report.adoption?.failedRules, [.heldOutGain])
        XCTAssertEqual(try registry.activeModelID(), base.id)
    }

    /// The active model already drifted below the shipped one (adopted by an older Numeral, whose
    /// rule compared each candidate with the active model only): a candidate that reads the user's
    /// drawings better and is within 0.1 point of the active model on MNIST is still kept aside,
    /// because the floor is the shipped model minus 0.1 point.
    func testACandidateBelowTheShippedFloorIsRejectedEvenWhenItBeatsTheCurrentModel() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        let drifted = base.copy()
        drifted.card.id = "tuned-drifted"
        drifted.card.parentID = base.id
        damage(drifted, seed: 29)
        try registry.register(drifted, activate: true, metrics: [ImprovementReport.MetricKey.adopted: 1])
        try logFeedback(try styledPenDigits(writers: 26...26, style: style), model: drifted, store: registry.store)

        let report = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: quickSettings()).run()
        print(report.text)

        let adoption = try XCTUnwrap(report.adoption)
        XCTAssertEqual(adoption.shippedID, base.id, "the floor is measured from the root of the lineage")
        XCTAssertEqual(report.parentID, "tuned-drifted")
        XCTAssertLessThan(adoption.mnistCurrentCorrect, adoption.mnistFloorCorrect, "setup: the active model is below the floor")
        XCTAssertGreaterThan(report.heldOutFeedback.correctAfter, report.heldOutFeedback.correctBefore, "setup: it beats the current model")
        XCTAssertGreaterThanOrEqual(report.mnistTest.correctAfter, report.mnistTest.correctBefore - 1,
                                    "setup: within 0.1 point of the current model on MNIST, which the old rule adopted")
        XCTAssertEqual(report.decision, .rejected, report.reason)
        XCTAssertEqual(adoption.failedRules, [.mnistFloor])
        XCTAssertTrue(report.reason.hasPrefix("Kept aside by the MNIST floor rule"), report.reason)
        XCTAssertEqual(try registry.activeModelID(), "tuned-drifted")
    }

    /// Noise on the classifier's weights (`scale` times their RMS): a model that reads MNIST clearly
    /// worse than the one it came from.
    func damage(_ model: DigitModel, seed: UInt64, scale: Double = 2) {
        var generator = SeededGenerator(seed: seed)
        guard let (_, weights) = model.network.namedTensors.last(where: { $0.0.hasSuffix("weight") && $0.1.shape.count == 2 }) else {
            return XCTFail("no classifier weights")
        }
        let buffer = weights.buffer
        let rms = (buffer.reduce(0) { $0 + Double($1) * Double($1) } / Double(buffer.count)).squareRoot()
        for i in buffer.indices {
            // Box-Muller: a standard normal from two uniforms.
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
            buffer[i] += Float(scale * rms * (-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        model.weightsDidChange()
    }

    /// Another improvement (here, or on another machine sharing the log) adopts a model while
    /// this one trains: this candidate, trained from the model that was replaced, is kept aside
    /// and its report says why; the other stays active.
    func testARunOvertakenByAnotherAdoptionIsKeptAside() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        try logFeedback(try styledPenDigits(writers: 26...26, style: style), model: base, store: registry.store)
        let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: quickSettings(maximumMNISTDrop: 0.005))
        var overtaken = false
        let report = try improver.run(progress: { step in
            guard step.stage == .saving, !overtaken else { return }
            overtaken = true
            try? registry.store.registerModel(ModelVersion(id: "elsewhere", path: "/models/elsewhere.safetensors",
                                                           parentID: base.id, isActive: true))
        })
        XCTAssertTrue(overtaken)
        XCTAssertFalse(report.adopted, report.reason)
        XCTAssertTrue(report.reason.contains("elsewhere was adopted while this ran"), report.reason)
        XCTAssertEqual(try registry.store.activeModel()?.id, "elsewhere")
        XCTAssertEqual(try registry.store.models().first { $0.id == report.candidateID }?.isActive, false, "registered, inactive")
    }
}
