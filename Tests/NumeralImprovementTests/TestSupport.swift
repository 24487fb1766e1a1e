import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralVision
import XCTest

/// Shared data and a model for the improvement tests, loaded or trained once per test process.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var mnistDirectory: String {
        if let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"], !env.isEmpty { return env }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
    }

    static var penDigitsPath: String {
        if let env = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"], !env.isEmpty { return env }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/pendigits/pendigits-orig-train.json").path
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cachedMNIST: (train: MNISTDataset, test: MNISTDataset)?
    nonisolated(unsafe) private static var cachedPen: [PenSample]?
    nonisolated(unsafe) private static var cachedModelPath: String?

    static func mnist() throws -> (train: MNISTDataset, test: MNISTDataset) {
        lock.lock(); defer { lock.unlock() }
        if let cachedMNIST { return cachedMNIST }
        guard MNISTDataset.existingFile(directory: mnistDirectory, baseName: MNISTSplit.test.imagesFileName) != nil else {
            throw XCTSkip("MNIST not found in \(mnistDirectory); set NUMERAL_MNIST to the directory holding the IDX files")
        }
        let loaded = (try MNISTDataset.load(directory: mnistDirectory, split: .train),
                      try MNISTDataset.load(directory: mnistDirectory, split: .test))
        cachedMNIST = loaded
        return loaded
    }

    static func penDigits() throws -> [PenSample] {
        lock.lock(); defer { lock.unlock() }
        if let cachedPen { return cachedPen }
        guard FileManager.default.fileExists(atPath: penDigitsPath) else {
            throw XCTSkip("pen digits not found at \(penDigitsPath); set NUMERAL_PENDIGITS to pendigits-orig-train.json")
        }
        let loaded = try PenDigits.load(path: penDigitsPath)
        cachedPen = loaded
        return loaded
    }

    /// The shipped model when the repository has one, otherwise a small model trained here in
    /// seconds on part of MNIST (saved once under the temp directory for the whole test run).
    static func modelPath() throws -> String {
        let shipped = repositoryRoot.appendingPathComponent("Models/\(ModelLocator.shippedFileName)").path
        if FileManager.default.fileExists(atPath: shipped) { return shipped }
        let (train, test) = try mnist()
        lock.lock(); defer { lock.unlock() }
        if let cachedModelPath { return cachedModelPath }
        var config = TrainingConfiguration.quick
        config.architecture = .small
        config.trainLimit = 8000
        config.validationCount = 1000
        let split = TrainingData.split(mnistTrain: train, penDigits: [], validationCount: config.validationCount,
                                       trainLimit: config.trainLimit)
        let model = DigitModel(card: ModelCard(id: ModelID.make(prefix: "test-base"), architecture: config.architecture, training: config),
                               network: config.architecture.build(seed: config.seed))
        let augmenter = DigitAugmenter()
        let trainer = try DigitTrainer(configuration: config, model: model, train: split.train, validation: split.validation,
                                       augmentation: { s, d, r in augmenter.augment(s, into: d, using: &r) })
        model.card.epochs = trainer.run()
        model.card.metrics["mnist_test_accuracy"] = trainer.evaluate(TrainingData.mnist(test.prefix(2000))).accuracy
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-improvement-tests-\(getpid())")
        let path = directory.appendingPathComponent(ModelLocator.shippedFileName).path
        try model.save(weightsPath: path)
        cachedModelPath = path
        return path
    }
}

/// A fresh data directory under the system temp dir, removed when the test ends.
func makeDataDirectory(_ test: XCTestCase, function: String = #function) throws -> String {
    let name = "numeral-improve-\(function.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// A writer's consistent quirk, applied to pen strokes before normalization: a strong forward
/// slant and a tilt no MNIST writer has, so the model gets many of these digits wrong.
struct HandwritingStyle {
    var shear: Double
    var rotationDegrees: Double

    func apply(_ drawing: Drawing) -> Drawing {
        let angle = rotationDegrees * .pi / 180
        let c = cos(angle), s = sin(angle)
        var out = drawing
        out.strokes = drawing.strokes.map { stroke in
            Stroke(points: stroke.points.map { p in
                // Screen coordinates (y down): shear leans the tops to the right, then rotate.
                let x = p.x + shear * (250 - p.y), y = p.y
                return StrokePoint(x: c * x - s * y, y: s * x + c * y, pressure: p.pressure, time: p.time)
            })
        }
        return out
    }
}

/// Model input as the log stores it: 784 bytes, 255 = ink.
func inputBytes(_ image: GrayImage) -> [UInt8] {
    image.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
}

/// Logs each image as the app would: the model's answer, then the user's label as feedback.
@discardableResult
func logFeedback(_ images: LabeledImages, labels: [UInt8]? = nil, model: DigitModel, store: PredictionStore) throws -> Int {
    let probabilities = model.predictBatch(images)
    for i in 0..<images.count {
        let p = probabilities[i]
        let predicted = p.indices.max(by: { p[$0] < p[$1] }) ?? 0
        let pixels = Array(images.image(i))
        try store.record(PredictionRecord(
            inputType: .canvas, predicted: String(predicted), confidence: Double(p[predicted]),
            actual: String(labels?[i] ?? images.labels[i]), modelVersion: model.id, latencyMs: 0.3,
            input: inputBytes(GrayImage(width: 28, height: 28, pixels: pixels))))
    }
    return images.count
}

/// Pen digits of `writers` in `style`, as model input.
func styledPenDigits(writers: ClosedRange<Int>, style: HandwritingStyle) throws -> LabeledImages {
    let normalizer = DrawingNormalizer()
    var images = LabeledImages()
    for sample in try Fixtures.penDigits() where writers.contains(sample.writer) {
        guard let image = try? normalizer.normalize(style.apply(sample.drawing)) else { continue }
        images.append(image.pixels, label: UInt8(sample.label))
    }
    return images
}

func accuracy(of model: DigitModel, on images: LabeledImages) -> Double {
    let probabilities = model.predictBatch(images)
    var correct = 0
    for (i, p) in probabilities.enumerated() where p.indices.max(by: { p[$0] < p[$1] }) == Int(images.labels[i]) { correct += 1 }
    return Double(correct) / Double(max(images.count, 1))
}
