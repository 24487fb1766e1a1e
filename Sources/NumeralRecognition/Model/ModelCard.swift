import Foundation
import NumeralVision

/// The human- and machine-readable description saved beside the weights: what the model is, how its
/// input must be prepared, how it was trained, on what data, and how well it did.
public struct ModelCard: Codable, Equatable, Sendable {
    public static let currentPreprocessingVersion = 1

    public var id: String
    public var parentID: String?
    public var created: Date
    public var architecture: DigitArchitecture
    /// Version of the vision layer's normalization the model was trained with; a mismatch means the
    /// model would see differently prepared digits than it learned from.
    public var preprocessingVersion: Int
    public var training: TrainingConfiguration?
    /// File name -> MD5 of every dataset file used.
    public var datasetChecksums: [String: String]
    public var metrics: [String: Double]
    public var epochs: [EpochRecord]
    public var notes: String?
    /// The characters the model reads, its outputs in order (nil in older cards: the digits).
    public var characters: CharacterClasses?
    /// Accuracy under adversarial attacks, with each attack's settings (nil in older cards).
    public var robustness: [RobustnessRecord]?

    public init(id: String, parentID: String? = nil, created: Date = Date(), architecture: DigitArchitecture,
                preprocessingVersion: Int = ModelCard.currentPreprocessingVersion, training: TrainingConfiguration? = nil,
                datasetChecksums: [String: String] = [:], metrics: [String: Double] = [:], epochs: [EpochRecord] = [],
                notes: String? = nil, robustness: [RobustnessRecord]? = nil) {
        self.id = id
        self.parentID = parentID
        self.created = created
        self.architecture = architecture
        self.preprocessingVersion = preprocessingVersion
        self.training = training
        self.datasetChecksums = datasetChecksums
        self.metrics = metrics
        self.epochs = epochs
        self.notes = notes
        self.robustness = robustness
    }

    /// Records a measurement, replacing an earlier one with the same attack on the same data, and
    /// mirrors it in `metrics` under its `metricKey`.
    public mutating func record(_ measurement: RobustnessRecord) {
        var list = robustness ?? []
        list.removeAll { $0.attack == measurement.attack && $0.dataset == measurement.dataset }
        list.append(measurement)
        robustness = list
        metrics[measurement.metricKey] = measurement.robustAccuracy
    }

    /// Reads and checks a card; every failure is `RecognitionError.invalidModelCard` naming the
    /// file and the field. Cards over a megabyte are refused unread (real ones are a few KB).
    public static func read(path: String) throws -> ModelCard {
        if let problem = ReadableError.fileProblem(path: path) {
            throw RecognitionError.invalidModelCard(path: path, reason: problem)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxBytes else {
            throw RecognitionError.invalidModelCard(path: path, reason: "it is \(size) bytes, far larger than a model card (at most \(maxBytes))")
        }
        let data: Data
        do { data = try ReadableError.contents(of: path) } catch {
            throw RecognitionError.invalidModelCard(path: path, reason: ReadableError.decoding(error))
        }
        return try decode(data, path: path)
    }

    /// A card from its JSON, checked like `read`; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws -> ModelCard {
        guard data.count <= maxBytes else {
            throw RecognitionError.invalidModelCard(path: path, reason: "it is \(data.count) bytes, far larger than a model card (at most \(maxBytes))")
        }
        let card: ModelCard
        do {
            card = try JSONDecoder.modelCard.decode(ModelCard.self, from: data)
        } catch {
            throw RecognitionError.invalidModelCard(path: path, reason: ReadableError.decoding(error, data: data))
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

    public static let maxBytes = 1024 * 1024

    /// The characters the model reads: `characters`, or the digits for a card without it.
    public var characterClasses: CharacterClasses { characters ?? .digits }

    public func write(path: String) throws {
        let data = try JSONEncoder.modelCard.encode(self)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// One epoch of training as plotted and stored.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var learningRate: Double
    public var seconds: Double

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double,
                validationAccuracy: Double, learningRate: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
    }
}

extension JSONEncoder {
    static var modelCard: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }
}

extension JSONDecoder {
    static var modelCard: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
