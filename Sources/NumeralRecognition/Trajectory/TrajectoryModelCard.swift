import Foundation
import NumeralVision

/// The card saved beside the trajectory model's weights (`pen-trajectory.json`): what it is, how
/// it was trained, how much it weighs against the image model, and how well it did.
public struct TrajectoryModelCard: Codable, Equatable, Sendable {
    public static let kindName = "pen-trajectory"

    public var id: String
    /// Always "pen-trajectory", so an image model's card is not taken for this one.
    public var kind: String
    public var created: Date
    public var architecture: TrajectoryArchitecture
    /// Weight of this model in the fused answer for drawings: probabilities are combined as
    /// image^(1-w) · trajectory^w, renormalized. In [0, 1].
    public var fusionWeight: Double
    public var training: TrajectoryTrainingConfiguration?
    public var datasetChecksums: [String: String]
    public var metrics: [String: Double]
    public var epochs: [EpochRecord]
    public var notes: String?
    /// The characters the model reads, its outputs in order (nil in older cards: the digits).
    public var characters: CharacterClasses?

    public init(id: String, created: Date = Date(), architecture: TrajectoryArchitecture, fusionWeight: Double,
                training: TrajectoryTrainingConfiguration? = nil, datasetChecksums: [String: String] = [:],
                metrics: [String: Double] = [:], epochs: [EpochRecord] = [], notes: String? = nil) {
        self.id = id
        self.kind = Self.kindName
        self.created = created
        self.architecture = architecture
        self.fusionWeight = fusionWeight
        self.training = training
        self.datasetChecksums = datasetChecksums
        self.metrics = metrics
        self.epochs = epochs
        self.notes = notes
    }

    /// Reads and checks a card; every failure is `RecognitionError.invalidModelCard` naming the
    /// file and what is wrong. Cards over a megabyte are refused unread.
    public static func read(path: String) throws -> TrajectoryModelCard {
        if let problem = ReadableError.fileProblem(path: path) {
            throw RecognitionError.invalidModelCard(path: path, reason: problem)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= ModelCard.maxBytes else {
            throw RecognitionError.invalidModelCard(path: path, reason: "it is \(size) bytes, far larger than a model card (at most \(ModelCard.maxBytes))")
        }
        let data: Data
        do { data = try ReadableError.contents(of: path) } catch {
            throw RecognitionError.invalidModelCard(path: path, reason: ReadableError.decoding(error))
        }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws -> TrajectoryModelCard {
        guard data.count <= ModelCard.maxBytes else {
            throw RecognitionError.invalidModelCard(path: path, reason: "it is \(data.count) bytes, far larger than a model card (at most \(ModelCard.maxBytes))")
        }
        let card: TrajectoryModelCard
        do {
            card = try JSONDecoder.modelCard.decode(TrajectoryModelCard.self, from: data)
        } catch {
            throw RecognitionError.invalidModelCard(path: path, reason: ReadableError.decoding(error, data: data))
        }
        guard card.kind == kindName else {
            throw RecognitionError.invalidModelCard(path: path, reason: "its \"kind\" is \"\(card.kind)\", not \"\(kindName)\"; it is not a pen-trajectory model's card")
        }
        guard card.fusionWeight >= 0, card.fusionWeight <= 1 else {
            throw RecognitionError.invalidModelCard(path: path, reason: "\"fusionWeight\" is \(card.fusionWeight); it must be in 0...1")
        }
        do {
            try card.architecture.validate()
        } catch let RecognitionError.invalidArchitecture(reason) {
            throw RecognitionError.invalidModelCard(path: path, reason: "its architecture is refused: \(reason)")
        }
        guard card.architecture.classes == card.characterClasses.count else {
            throw RecognitionError.invalidModelCard(
                path: path, reason: "its network has \(card.architecture.classes) outputs, but it says it reads the "
                    + "\(card.characterClasses.rawValue) (\(card.characterClasses.count) classes)")
        }
        return card
    }

    /// The characters the model reads: `characters`, or the digits for a card without it.
    public var characterClasses: CharacterClasses { characters ?? .digits }

    public func write(path: String) throws {
        let data = try JSONEncoder.modelCard.encode(self)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// How a trajectory model was trained.
public struct TrajectoryTrainingConfiguration: Codable, Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var weightDecay: Float
    public var labelSmoothing: Float
    public var seed: UInt64
    /// Pen-digit writers trained on (the held-out writers never are).
    public var writers: String
    /// Share of closed loops restarted at another point (nil: the augmenter's default; older cards).
    public var loopStartProbability: Double?
    /// Share of digits squeezed to 25-60 % of their width (nil: the augmenter's default).
    public var squeezeProbability: Double?

    public static let standard = TrajectoryTrainingConfiguration(
        epochs: 60, batchSize: 64, learningRate: 2e-3, weightDecay: 1e-4, labelSmoothing: 0.05, seed: 42, writers: "1-25")

    public init(epochs: Int, batchSize: Int, learningRate: Float, weightDecay: Float, labelSmoothing: Float,
                seed: UInt64, writers: String) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.labelSmoothing = labelSmoothing
        self.seed = seed
        self.writers = writers
    }

    public func validate() throws {
        guard (1...1000).contains(epochs) else { throw RecognitionError.invalidTrainingConfiguration("epochs must be 1...1000") }
        guard (1...4096).contains(batchSize) else { throw RecognitionError.invalidTrainingConfiguration("batch size must be 1...4096") }
        guard learningRate > 0, learningRate < 10 else {
            throw RecognitionError.invalidTrainingConfiguration("learning rate must be positive and below 10")
        }
        guard weightDecay >= 0, labelSmoothing >= 0, labelSmoothing < 1 else {
            throw RecognitionError.invalidTrainingConfiguration("weight decay must be >= 0 and label smoothing in [0, 1)")
        }
        for (name, value) in [("loop-start", loopStartProbability), ("squeeze", squeezeProbability)] {
            if let value, !(value >= 0 && value <= 1) {
                throw RecognitionError.invalidTrainingConfiguration("the \(name) probability must be in 0...1")
            }
        }
    }

    /// The stroke augmenter this configuration trains with.
    public var augmenter: DrawingAugmenter {
        var augmenter = DrawingAugmenter()
        if let loopStartProbability { augmenter.loopStartProbability = loopStartProbability }
        if let squeezeProbability { augmenter.squeezeProbability = squeezeProbability }
        return augmenter
    }
}
