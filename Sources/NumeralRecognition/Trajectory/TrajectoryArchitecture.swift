import NumeralEngine
import NumeralVision

/// The pen-trajectory model's shape: `points` resampled pen positions (5 features each, see
/// `TrajectoryEncoder`) into dense layers of `hidden` widths (each followed by ReLU and dropout),
/// then one output per class of its character set (10 digits, 52 letters or 62 of both). Checked against hard limits before anything is allocated.
public struct TrajectoryArchitecture: Codable, Equatable, Sendable {
    public var points: Int
    public var hidden: [Int]
    public var dropout: Float
    public var classes: Int
    /// The encoder's aspect floor (see `TrajectoryEncoder`); nil on cards older than it, read as 0.
    public var aspectFloor: Double?

    public static let standard = TrajectoryArchitecture(points: 32, hidden: [256, 256], dropout: 0.2, classes: 10,
                                                        aspectFloor: 0.5)
    public static let maxParameters = 5_000_000

    public init(points: Int, hidden: [Int], dropout: Float, classes: Int = 10, aspectFloor: Double? = nil) {
        self.points = points
        self.hidden = hidden
        self.dropout = dropout
        self.classes = classes
        self.aspectFloor = aspectFloor
    }

    /// The encoder this architecture reads drawings with.
    public var encoder: TrajectoryEncoder { TrajectoryEncoder(points: points, aspectFloor: aspectFloor ?? 0) }

    public var inputFeatures: Int { points * TrajectoryEncoder.featuresPerPoint }

    public func validate() throws {
        guard CharacterClasses.withCount(classes) != nil else {
            throw RecognitionError.invalidArchitecture(
                "\"classes\" is \(classes), but a model reads the 10 digits, the 52 letters or the 62 of both")
        }
        if let aspectFloor, !(aspectFloor >= 0 && aspectFloor <= 1) {
            throw RecognitionError.invalidArchitecture("\"aspectFloor\" is \(aspectFloor); it is a fraction in 0...1")
        }
        guard (4...256).contains(points) else {
            throw RecognitionError.invalidArchitecture("\"points\" is \(points); a trajectory is resampled to 4...256 points")
        }
        guard (1...4).contains(hidden.count) else {
            throw RecognitionError.invalidArchitecture("\"hidden\" has \(hidden.count) layers; 1...4 are allowed")
        }
        if let bad = hidden.first(where: { !(1...2048).contains($0) }) {
            throw RecognitionError.invalidArchitecture("a hidden layer has \(bad) units; each may have 1...2048")
        }
        guard dropout >= 0, dropout < 1 else {
            throw RecognitionError.invalidArchitecture("\"dropout\" is \(dropout); it must be in [0, 1)")
        }
        guard parameterCount <= Self.maxParameters else {
            throw RecognitionError.invalidArchitecture("it has \(parameterCount) parameters; at most \(Self.maxParameters) are allowed")
        }
    }

    /// Parameters, computed from the numbers alone (call after the per-field limits are checked).
    public var parameterCount: Int {
        var total = 0, width = inputFeatures
        for h in hidden + [classes] {
            total += width * h + h
            width = h
        }
        return total
    }

    /// Every tensor of the model file with its shape, in the network's naming ("0.weight", ...):
    /// each hidden block is Dense, ReLU, Dropout; the classifier follows the last block.
    public var tensorShapes: [(name: String, shape: [Int])] {
        var shapes: [(String, [Int])] = []
        var width = inputFeatures
        for (block, h) in hidden.enumerated() {
            shapes.append(("\(3 * block).weight", [h, width]))
            shapes.append(("\(3 * block).bias", [h]))
            width = h
        }
        shapes.append(("\(3 * hidden.count).weight", [classes, width]))
        shapes.append(("\(3 * hidden.count).bias", [classes]))
        return shapes
    }

    public func build(seed: UInt64 = 42) -> Sequential {
        var layers: [Layer] = []
        var width = inputFeatures
        for (block, h) in hidden.enumerated() {
            layers.append(Dense(inFeatures: width, outFeatures: h))
            layers.append(ReLU())
            layers.append(Dropout(rate: dropout, seed: seed &+ UInt64(block)))
            width = h
        }
        layers.append(Dense(inFeatures: width, outFeatures: classes))
        let network = Sequential(layers)
        Initialization.heNormal(network, seed: seed)
        return network
    }
}
