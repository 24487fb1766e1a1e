import Foundation
import NumeralEngine

/// A trained digit classifier: the network plus its card. Not thread-safe (layers reuse their
/// buffers between calls); give each thread or queue its own instance via `copy()`.
public final class DigitModel {
    public let network: Sequential
    public var card: ModelCard
    private let singleInput = Tensor(shape: [1, 1, 28, 28])
    /// Batch norm folded into the convolutions; rebuilt after the weights change.
    private var fused: Sequential?
    private var probabilities = [Float](repeating: 0, count: 10)

    public init(card: ModelCard, network: Sequential? = nil) {
        self.card = card
        self.network = network ?? card.architecture.build()
    }

    public var id: String { card.id }

    /// The card sits beside the weights: `name.safetensors` and `name.json`.
    public static func cardPath(forWeights path: String) -> String {
        (path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) : path) + ".json"
    }

    public static func load(weightsPath: String) throws -> DigitModel {
        let card = try ModelCard.read(path: cardPath(forWeights: weightsPath))
        let model = DigitModel(card: card)
        let (entries, _) = try Safetensors.read(path: weightsPath)
        try Safetensors.load(entries, into: model.network, path: weightsPath)
        return model
    }

    public func save(weightsPath: String) throws {
        let dir = (weightsPath as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try Safetensors.write(network.namedTensors, metadata: ["format": "pt", "numeral_model_id": card.id], to: weightsPath)
        try card.write(path: Self.cardPath(forWeights: weightsPath))
    }

    /// An independent instance with the same weights, for use on another thread.
    public func copy() -> DigitModel {
        let other = DigitModel(card: card)
        for ((_, dst), (_, src)) in zip(other.network.namedTensors, network.namedTensors) { dst.copy(from: src) }
        return other
    }

    /// Must be called after training changes the weights, so predictions use the new ones.
    public func weightsDidChange() { fused = nil }

    private var inference: Sequential {
        if let fused { return fused }
        let f = InferenceFusion.fuse(network)
        fused = f
        return f
    }

    /// Class probabilities for one 28×28 image (784 values, ink = 1). Allocates only the result.
    public func predict(_ pixels: UnsafeBufferPointer<Float>) -> [Float] {
        precondition(pixels.count == LabeledImages.pixelsPerImage, "a 28x28 image has 784 pixels")
        singleInput.data.update(from: pixels.baseAddress!, count: pixels.count)
        let logits = inference.forward(singleInput, training: false)
        probabilities.withUnsafeMutableBufferPointer { Softmax.apply(logits.data, into: $0.baseAddress!, count: 10) }
        return probabilities
    }

    public func predict(_ pixels: [Float]) -> [Float] { pixels.withUnsafeBufferPointer { predict($0) } }

    /// Mean loss (without smoothing) and accuracy on a labelled set.
    public func evaluate(_ set: LabeledImages) -> (loss: Double, accuracy: Double) {
        guard set.count > 0 else { return (0, 0) }
        let probs = predictBatch(set)
        var loss = 0.0, correct = 0
        for (i, p) in probs.enumerated() {
            let label = Int(set.labels[i])
            loss -= log(Double(max(p[label], 1e-12)))
            if p.indices.max(by: { p[$0] < p[$1] }) == label { correct += 1 }
        }
        return (loss / Double(set.count), Double(correct) / Double(set.count))
    }

    /// Probabilities for many images at once (much faster per image than `predict`).
    public func predictBatch(_ images: LabeledImages, batchSize: Int = 500,
                             progress: ((Int) -> Void)? = nil) -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(images.count)
        var start = 0
        let x = Tensor(shape: [1, 1, 28, 28])
        while start < images.count {
            let n = min(batchSize, images.count - start)
            x.resize(to: [n, 1, 28, 28])
            images.pixels.withUnsafeBufferPointer { p in
                x.data.update(from: p.baseAddress! + start * 784, count: n * 784)
            }
            let logits = inference.forward(x, training: false)
            for i in 0..<n {
                var row = [Float](repeating: 0, count: 10)
                row.withUnsafeMutableBufferPointer { Softmax.apply(logits.data + i * 10, into: $0.baseAddress!, count: 10) }
                out.append(row)
            }
            start += n
            progress?(start)
        }
        return out
    }
}
