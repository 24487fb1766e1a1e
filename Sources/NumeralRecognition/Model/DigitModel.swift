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
    private var probabilities: [Float]

    public init(card: ModelCard, network: Sequential? = nil) {
        self.card = card
        probabilities = [Float](repeating: 0, count: card.architecture.classes)
        self.network = network ?? card.architecture.build()
        // Every command that loads a model (eval, explain, predict, …) gets a single-threaded
        // OpenBLAS: its own threads would spin in sched_yield beside the engine's workers (a fifth
        // of `numeral eval`'s CPU time went there).
        EngineThreads.configure()
    }

    public var id: String { card.id }
    /// The characters this model reads (its outputs, in order).
    public var classes: CharacterClasses { card.characterClasses }

    /// The card sits beside the weights: `name.safetensors` and `name.json`.
    public static func cardPath(forWeights path: String) -> String {
        (path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) : path) + ".json"
    }

    /// Loads weights and card, trusting neither: the card's architecture is checked against hard
    /// limits and the weights file's header against the architecture (names, dtypes, shapes, byte
    /// counts) before the network is allocated; then batch-norm variances must not be negative and
    /// the network's outputs on probe inputs must be finite.
    public static func load(weightsPath: String) throws -> DigitModel {
        let data = try Safetensors.mapFile(path: weightsPath)
        let card = try ModelCard.read(path: cardPath(forWeights: weightsPath))
        return try load(card: card, weights: data, path: weightsPath)
    }

    /// The same checks on a card already read and weights already in memory; `path` names them in errors.
    public static func load(card: ModelCard, weights data: Data, path weightsPath: String) throws -> DigitModel {
        try card.architecture.validate()
        let header = try Safetensors.parseHeader(data, path: weightsPath)
        try checkHeader(header, against: card.architecture, path: weightsPath)
        var entries: [String: Safetensors.Entry] = [:]
        for (name, info) in header.tensors { entries[name] = Safetensors.values(of: info, in: data) }
        try checkVariances(entries, path: weightsPath)
        let model = DigitModel(card: card)
        try Safetensors.load(entries, into: model.network, path: weightsPath)
        try model.probe(path: weightsPath)
        // Probes try three inputs; the bound covers every input in [0, 1] (the shipped model's is
        // 1.4e9, far below the limit, which leaves room for Winograd's transforms).
        if let bound = ActivationBound.of(model.network, input: 1), !(bound < maxActivationBound) {
            throw ModelFileError.unboundedActivations(path: weightsPath, bound: bound)
        }
        return model
    }

    /// The largest activation a loadable model may be able to reach on inputs in [0, 1].
    static let maxActivationBound = 1e30

    /// Every tensor the architecture needs, with exactly its shape, and nothing else.
    static func checkHeader(_ header: Safetensors.Header, against architecture: DigitArchitecture, path: String) throws {
        let expected = architecture.tensorShapes
        let wanted = Set(expected.map(\.name))
        if let extra = header.tensors.keys.sorted().first(where: { !wanted.contains($0) }) {
            throw ModelFileError.unexpectedTensor(path: path, tensor: extra)
        }
        for (name, shape) in expected {
            guard let info = header.tensors[name] else { throw ModelFileError.missingTensor(path: path, tensor: name) }
            guard info.shape == shape else {
                throw ModelFileError.shapeMismatch(path: path, tensor: name, expected: shape, found: info.shape)
            }
        }
    }

    /// Batch norm divides by the square root of the variance: a negative one gives NaN.
    static func checkVariances(_ entries: [String: Safetensors.Entry], path: String) throws {
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) where name.hasSuffix(".running_var") {
            if let index = entry.values.firstIndex(where: { $0 < 0 }) {
                throw ModelFileError.negativeVariance(path: path, tensor: name, index: index, value: entry.values[index])
            }
        }
    }

    /// Runs blank paper, full ink and a bar through the network; every probability must be finite.
    func probe(path: String) throws {
        let count = LabeledImages.pixelsPerImage
        let bar = (0..<count).map { i -> Float in (i % 28 >= 12 && i % 28 < 16 && i / 28 >= 4 && i / 28 < 24) ? 1 : 0 }
        for input in [[Float](repeating: 0, count: count), [Float](repeating: 1, count: count), bar] {
            let p = predict(input)
            guard p.allSatisfy(\.isFinite) else { throw ModelFileError.nonFiniteOutput(path: path) }
        }
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
        probabilities.withUnsafeMutableBufferPointer { Softmax.apply(logits.data, into: $0.baseAddress!, count: $0.count) }
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

    /// Probabilities for many images at once (faster per image than `predict`, on both cores).
    /// Batches of 64 (32 per core) keep each layer's activations in cache: on the MNIST test set
    /// they ran 1.1 s with a 233 MB peak where batches of 500 took 1.3 s and 635 MB.
    public func predictBatch(_ images: LabeledImages, batchSize: Int = 64,
                             progress: ((Int) -> Void)? = nil) -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(images.count)
        var start = 0
        // Keeps a batch's layer outputs within about 1.5 GB whatever the architecture (the
        // shipped model, 2.7 MB per image, keeps batches of 500).
        let perImage = max(1, card.architecture.activationBytesPerImage)
        let batchSize = max(1, min(batchSize, 1536 * 1024 * 1024 / perImage))
        let x = Tensor(shape: [1, 1, 28, 28])
        while start < images.count {
            let n = min(batchSize, images.count - start)
            x.resize(to: [n, 1, 28, 28])
            images.pixels.withUnsafeBufferPointer { p in
                x.data.update(from: p.baseAddress! + start * 784, count: n * 784)
            }
            let logits = inference.forward(x, training: false)
            for i in 0..<n {
                let k = card.architecture.classes
                var row = [Float](repeating: 0, count: k)
                row.withUnsafeMutableBufferPointer { Softmax.apply(logits.data + i * k, into: $0.baseAddress!, count: k) }
                out.append(row)
            }
            start += n
            progress?(start)
        }
        return out
    }
}
