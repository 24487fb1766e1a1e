import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralVision
import XCTest

final class ImproverTests: XCTestCase {
    /// A writer who slants hard and tilts the page: the model reads few of these digits.
    let style = HandwritingStyle(shear: 0.4, rotationDegrees: 15)

    /// The mildest of these quirks that the model misreads on a good share of the feedback writers'
    /// digits: the shipped model, trained with slant and rotation augmentation, needs a stronger one
    /// than the quickly trained fallback model.
    func foolingStyle(for model: DigitModel, writers: ClosedRange<Int>) throws -> (HandwritingStyle, LabeledImages) {
        var last: (HandwritingStyle, LabeledImages)?
        for (shear, degrees) in [(0.3, 10.0), (0.4, 15.0), (0.6, 20.0)] {
            let style = HandwritingStyle(shear: shear, rotationDegrees: degrees)
            let images = try styledPenDigits(writers: writers, style: style)
            if accuracy(of: model, on: images) < 0.93 { return (style, images) }
            last = (style, images)
        }
        return try XCTUnwrap(last)
    }

    /// The product's defaults, judged like the product judges: on all 10,000 MNIST test images. (On
    /// the first 3,000 alone, 4 flipped digits of the shipped model read as a 0.13-point drop and the
    /// candidate was refused, where the whole set measured 0.07.)
    func testSettings() -> ImprovementSettings {
        ImprovementSettings(epochs: 3, feedbackImagesPerEpoch: 512, mnistEvaluationLimit: nil)
    }

    func makeRegistry() throws -> ModelRegistry {
        let directory = try makeDataDirectory(self)
        return try ModelRegistry(dataDirectory: directory, shippedModelLocator: ModelLocator(explicitPath: try Fixtures.modelPath()))
    }

    func testFineTuningLearnsAWritersStyleWhileTheMNISTGuardrailHolds() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        // Writers the shipped model never trained on: three give feedback, two more are a style test
        // the fine-tune never sees at all.
        let (style, feedback) = try foolingStyle(for: base, writers: 26...28)
        let unseen = try styledPenDigits(writers: 29...30, style: style)
        try logFeedback(feedback, model: base, store: registry.store)
        XCTAssertLessThan(accuracy(of: base, on: feedback), 0.93, "the style \(style) should fool the model, or this test shows nothing")
        let unseenBefore = accuracy(of: base, on: unseen)

        var stages: [ImprovementProgress.Stage] = []
        var lastFraction = 0.0
        let report = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: testSettings()).run(progress: {
            if stages.last != $0.stage { stages.append($0.stage) }
            XCTAssertGreaterThanOrEqual($0.fraction, lastFraction - 1e-9, "progress never goes backwards")
            lastFraction = $0.fraction
        })
        print(report.text)

        XCTAssertEqual(stages, [.evaluatingBefore, .training, .evaluatingAfter, .saving])
        XCTAssertEqual(lastFraction, 1)
        XCTAssertEqual(report.decision, .adopted, report.reason)
        XCTAssertEqual(report.parentID, base.id)
        XCTAssertEqual(report.feedback.training + report.feedback.heldOut, feedback.count)
        XCTAssertGreaterThan(report.feedback.heldOut, feedback.count / 6)
        XCTAssertEqual(report.mnistTest.count, 10_000)
        XCTAssertGreaterThan(report.heldOutFeedback.after, report.heldOutFeedback.before + 0.04, report.text)
        XCTAssertGreaterThanOrEqual(report.mnistTest.correctAfter, report.mnistTest.correctBefore - 10, report.text)

        // The app would now load the candidate, and it reads the style from writers it never saw.
        XCTAssertEqual(try registry.activeModelID(), report.candidateID)
        let adopted = try registry.loadActiveModel()
        XCTAssertEqual(adopted.card.parentID, base.id)
        let unseenAfter = accuracy(of: adopted, on: unseen)
        XCTAssertGreaterThan(unseenAfter, unseenBefore, "unseen writers: \(unseenBefore) -> \(unseenAfter)")
        // The report travels with the model, for the dashboard.
        print("UNSEEN \(style): \(unseenBefore) -> \(unseenAfter)")
        XCTAssertEqual(adopted.card.notes, report.text)
        XCTAssertEqual(adopted.card.metrics[ImprovementReport.MetricKey.adopted], 1)
        XCTAssertEqual(adopted.card.epochs.count, 3)
        let row = try XCTUnwrap(registry.store.models().first { $0.id == report.candidateID })
        XCTAssertEqual(row.metrics[ImprovementReport.MetricKey.feedbackAfter], report.heldOutFeedback.after)
        XCTAssertEqual(row.parentID, base.id)
        XCTAssertEqual(registry.improvementReport(forID: report.candidateID), report)
        XCTAssertNil(registry.improvementReport(forID: base.id))
    }

    /// A user who systematically mislabels ordinary digits, and pushes the learning rate up to make
    /// the model listen, must not be able to wreck the model.
    func testAFineTuneThatForgetsMNISTIsKeptAsideAndTheActiveModelStays() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        let ordinary = TrainingData.mnist(test).subset(9000..<9500)  // outside the evaluated first 3000
        try logFeedback(ordinary, labels: ordinary.labels.map { ($0 + 1) % 10 }, model: base, store: registry.store)
        var settings = testSettings()
        settings.learningRate = 1e-3
        settings.replayRatio = 1
        settings.mnistEvaluationLimit = 3000   // the mislabelled digits come from beyond these

        let report = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings).run()
        print(report.text)

        XCTAssertEqual(report.decision, .rejected)
        XCTAssertLessThan(report.mnistTest.correctAfter, report.mnistTest.correctBefore - 3, report.text)
        XCTAssertTrue(report.reason.contains("MNIST test accuracy fell"), report.reason)
        XCTAssertEqual(try registry.activeModelID(), base.id)
        XCTAssertEqual(try registry.activeModelPath(), registry.weightsPath(forID: base.id))
        let kept = try XCTUnwrap(registry.list().first { $0.id == report.candidateID })
        XCTAssertEqual(kept.origin, .rejected)
        XCTAssertFalse(kept.isActive)
        XCTAssertTrue(kept.weightsExist)
        XCTAssertEqual(kept.card?.notes, report.text)
        XCTAssertEqual(registry.improvementReport(forID: report.candidateID)?.decision, .rejected)
    }

    func testAnAbsurdLearningRateIsKeptAside() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        try logFeedback(try styledPenDigits(writers: 26...26, style: style), model: base, store: registry.store)
        var settings = testSettings()
        settings.learningRate = 5
        settings.epochs = 1
        settings.mnistEvaluationLimit = 500

        let report = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings).run()

        XCTAssertEqual(report.decision, .rejected, report.text)
        XCTAssertEqual(try registry.activeModelID(), base.id)
        XCTAssertEqual(try registry.list().map(\.id), [base.id, report.candidateID])
    }

    func testTooLittleFeedbackIsRefusedBeforeAnyWork() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        let images = TrainingData.mnist(test.prefix(25))
        try logFeedback(images.subset(0..<19), model: base, store: registry.store)
        // Neither a multi-digit record nor one without its input can be trained on.
        try registry.store.record(PredictionRecord(inputType: .canvas, predicted: "42", confidence: 0.9, actual: "43",
                                                   input: [UInt8](repeating: 0, count: 784 * 2)))
        try registry.store.record(PredictionRecord(inputType: .canvas, predicted: "4", confidence: 0.9, actual: "4"))
        // Unlabelled predictions are not feedback.
        try registry.store.record(PredictionRecord(inputType: .canvas, predicted: "4", confidence: 0.9, input: [UInt8](repeating: 0, count: 784)))

        let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: testSettings())
        XCTAssertThrowsError(try improver.run()) { error in
            XCTAssertEqual(error as? ImprovementError, .notEnoughFeedback(usable: 19, needed: 20, skipped: 2))
            XCTAssertTrue("\(error)".contains("19"), "\(error)")
        }
        XCTAssertEqual(try registry.list().count, 1, "nothing was trained or registered")
    }

    func testCancellingKeepsNothing() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        let base = try registry.loadActiveModel()
        try logFeedback(try styledPenDigits(writers: 26...26, style: style), model: base, store: registry.store)
        var settings = testSettings()
        settings.mnistEvaluationLimit = 500
        var trainingSeen = false

        let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings)
        XCTAssertThrowsError(try improver.run(progress: { if $0.stage == .training { trainingSeen = true } },
                                              shouldCancel: { trainingSeen })) { error in
            XCTAssertEqual(error as? ImprovementError, .cancelled)
        }
        XCTAssertEqual(try registry.list().map(\.id), [base.id])
        XCTAssertEqual(try registry.activeModelID(), base.id)
        let files = try FileManager.default.contentsOfDirectory(atPath: registry.modelsDirectory)
        XCTAssertEqual(Set(files), [base.id + ".safetensors", base.id + ".json"])
    }

    func testInvalidSettingsAreRefused() throws {
        let (train, test) = try Fixtures.mnist()
        let registry = try makeRegistry()
        for broken in [ImprovementSettings(epochs: 0), ImprovementSettings(learningRate: .nan),
                       ImprovementSettings(heldOutFraction: 1), ImprovementSettings(maximumMNISTDrop: -0.1),
                       ImprovementSettings(mnistEvaluationLimit: 0)] {
            XCTAssertThrowsError(try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: broken)) {
                guard case .invalidSettings? = $0 as? ImprovementError else { return XCTFail("\($0)") }
            }
        }
    }
}
