import NumeralRecognition
import NumeralVision
import XCTest

/// The shipped model's accuracy, measured through the same code paths the app uses.
final class ShippedModelAccuracyTests: XCTestCase {
    func testMNISTTestSetAccuracyIsAtLeast99Point6Percent() throws {
        let model = try TestData.shippedModel()
        let test = TrainingData.mnist(try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test))
        let probs = model.predictBatch(test)
        let correct = probs.enumerated().filter { i, p in DigitPrediction(probabilities: p, input: GrayImage(width: 0, height: 0)).digit == Int(test.labels[i]) }.count
        let accuracy = Double(correct) / Double(test.count)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertGreaterThanOrEqual(accuracy, 0.996, "MNIST test accuracy \(accuracy)")
    }

    /// Held-out writers through the canvas path: validation, segmentation, normalization, model.
    func testHeldOutPenWritersThroughTheCanvasPath() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let samples = try PenDigits.load(path: try TestData.penDigitsPath())
            .filter { TrainingData.heldOutPenWriters.contains($0.writer) }
        XCTAssertGreaterThan(samples.count, 1200)
        let correct = samples.filter { (try? recognizer.recognize($0.drawing).number) == String($0.label) }.count
        let accuracy = Double(correct) / Double(samples.count)
        XCTAssertGreaterThanOrEqual(accuracy, 0.985, "pen digits accuracy \(accuracy)")
    }

    func testCardRecordsTheMeasuredMetrics() throws {
        let card = try TestData.shippedModel().card
        XCTAssertNotNil(card.metrics["mnist_test_accuracy"])
        XCTAssertFalse(card.epochs.isEmpty)
        XCTAssertEqual(card.preprocessingVersion, ModelCard.currentPreprocessingVersion)
        XCTAssertEqual(card.datasetChecksums["t10k-images-idx3-ubyte.gz"], "9fb629c4189551a2d022fa330f9573f3")
    }
}
