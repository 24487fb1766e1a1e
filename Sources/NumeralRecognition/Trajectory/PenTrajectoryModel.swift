import Foundation
import NumeralEngine
import NumeralVision

/// A small classifier of the pen's path (see `TrajectoryEncoder`): what the canvas knows and a
/// picture does not — stroke order, direction, where the pen was lifted. Fused with the image
/// model for drawings only. Not thread-safe (layers reuse their buffers); use `copy()` per thread.
public final class PenTrajectoryModel {
    public static let shippedFileName = "pen-trajectory.safetensors"

    public let network: Sequential
    public var card: TrajectoryModelCard
    public let encoder: TrajectoryEncoder
    private let input: Tensor
    private var probabilities: [Float]

    public init(card: TrajectoryModelCard, network: Sequential? = nil) {
        self.card = card
        self.network = network ?? card.architecture.build()
        encoder = card.architecture.encoder
        input = Tensor(shape: [1, card.architecture.inputFeatures])
        probabilities = [Float](repeating: 0, count: card.architecture.classes)
    }

    public var id: String { card.id }
    /// The characters this model reads (its outputs, in order).
    public var classes: CharacterClasses { card.characterClasses }

    public static func cardPath(forWeights path: String) -> String { DigitModel.cardPath(forWeights: path) }

    /// Loads weights and card as strictly as the image model: the card's kind, fusion weight and
    /// architecture are checked against hard limits, the weights file's header against the
    /// architecture (names, dtype, shapes, byte counts) before the network is allocated, every
    /// weight must be finite, and probe drawings must give finite probabilities.
    public static func load(weightsPath: String) throws -> PenTrajectoryModel {
        let data = try Safetensors.mapFile(path: weightsPath)
        let card = try TrajectoryModelCard.read(path: cardPath(forWeights: weightsPath))
        let header = try Safetensors.parseHeader(data, path: weightsPath)
        let expected = card.architecture.tensorShapes
        let wanted = Set(expected.map(\.name))
        if let extra = header.tensors.keys.sorted().first(where: { !wanted.contains($0) }) {
            throw ModelFileError.unexpectedTensor(path: weightsPath, tensor: extra)
        }
        for (name, shape) in expected {
            guard let info = header.tensors[name] else { throw ModelFileError.missingTensor(path: weightsPath, tensor: name) }
            guard info.shape == shape else {
                throw ModelFileError.shapeMismatch(path: weightsPath, tensor: name, expected: shape, found: info.shape)
            }
        }
        var entries: [String: Safetensors.Entry] = [:]
        for (name, info) in header.tensors { entries[name] = Safetensors.values(of: info, in: data) }
        let model = PenTrajectoryModel(card: card)
        try Safetensors.load(entries, into: model.network, path: weightsPath)
        try model.probe(path: weightsPath)
        return model
    }

    /// A dot, a line and a two-stroke cross: every probability must be finite.
    func probe(path: String) throws {
        let probes = [
            Drawing(strokes: [Stroke(points: [StrokePoint(x: 5, y: 5)])]),
            Drawing(strokes: [Stroke(points: [StrokePoint(x: 0, y: 0), StrokePoint(x: 0, y: 100)])]),
            Drawing(strokes: [Stroke(points: [StrokePoint(x: 0, y: 0), StrokePoint(x: 100, y: 100)]),
                              Stroke(points: [StrokePoint(x: 100, y: 0), StrokePoint(x: 0, y: 100)])]),
        ]
        for drawing in probes {
            guard try predict(drawing).allSatisfy(\.isFinite) else { throw ModelFileError.nonFiniteOutput(path: path) }
        }
    }

    public func save(weightsPath: String) throws {
        let dir = (weightsPath as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try Safetensors.write(network.namedTensors, metadata: ["format": "pt", "numeral_model_id": card.id], to: weightsPath)
        try card.write(path: Self.cardPath(forWeights: weightsPath))
    }

    public func copy() -> PenTrajectoryModel {
        let other = PenTrajectoryModel(card: card)
        for ((_, dst), (_, src)) in zip(other.network.namedTensors, network.namedTensors) { dst.copy(from: src) }
        return other
    }

    /// Class probabilities for one character's drawing. Throws what the encoder throws for unusable drawings.
    public func predict(_ drawing: Drawing) throws -> [Float] {
        try encoder.encode(drawing, into: UnsafeMutableBufferPointer(start: input.data, count: input.count))
        let logits = network.forward(input, training: false)
        probabilities.withUnsafeMutableBufferPointer { Softmax.apply(logits.data, into: $0.baseAddress!, count: $0.count) }
        return probabilities
    }

    /// image^(1-w) · trajectory^w, renormalized (a weighted product of experts): each model can
    /// veto a class it finds implausible. `weight` 0 returns the image model's answer.
    public static func fuse(image: [Float], trajectory: [Float], weight: Double) -> [Float] {
        guard weight > 0, image.count == trajectory.count else { return image }
        let w = Float(min(weight, 1))
        var logs = zip(image, trajectory).map { (1 - w) * log(max($0, 1e-12)) + w * log(max($1, 1e-12)) }
        let peak = logs.max() ?? 0
        var total: Float = 0
        for i in logs.indices { logs[i] = exp(logs[i] - peak); total += logs[i] }
        return logs.map { $0 / total }
    }
}
