import NumeralEngine

/// The shape of the digit CNN, stored in the model card so a model file can be rebuilt and checked.
///
/// Stages of 3×3 convolutions (each followed by batch norm and ReLU), a 2×2 max-pool after every
/// stage but the last, then global average pooling, dropout and one dense layer to the ten digits.
/// Global pooling keeps the head tiny, which is what lets a single prediction stay well under a
/// millisecond on one core.
public struct DigitArchitecture: Codable, Equatable, Sendable {
    /// Output channels of each convolution, grouped by stage.
    public var stages: [[Int]]
    public var kernelSize: Int
    public var dropout: Float
    public var inputSize: Int = 28
    public var classes: Int = 10
    /// nil or `.standard`: the stages above. `.baseline`: the classic Keras MNIST CNN of the apps
    /// Numeral replaces (stages and kernel size ignored), for like-for-like engine comparisons.
    public var family: Family?

    public enum Family: String, Codable, Sendable, CaseIterable { case standard, baseline }

    public init(stages: [[Int]], kernelSize: Int = 3, dropout: Float = 0.3) {
        self.stages = stages
        self.kernelSize = kernelSize
        self.dropout = dropout
    }

    /// The shipped model's shape.
    public static let standard = DigitArchitecture(stages: [[32, 32], [64, 64], [128]], kernelSize: 3, dropout: 0.3)
    /// conv 3×3 ×32, ReLU, max-pool 2, conv 3×3 ×64, ReLU, max-pool 2, dense 128, ReLU, dropout 0.5, dense 10.
    public static let baseline: DigitArchitecture = {
        var a = DigitArchitecture(stages: [[32], [64]], kernelSize: 3, dropout: 0.5)
        a.family = .baseline
        return a
    }()

    /// One convolution per stage: a third of the standard network's work, for `--preset quick`.
    public static let quick = DigitArchitecture(stages: [[32], [64], [128]], kernelSize: 3, dropout: 0.2)
    /// A tiny variant that learns in seconds, for tests.
    public static let small = DigitArchitecture(stages: [[16], [32], [64]], kernelSize: 3, dropout: 0.2)

    // Hard limits for a card read from disk, checked before anything is allocated. They are far
    // beyond the shipped model (141 thousand parameters, 22 million multiply-adds, 2.7 MB of
    // activations per image) yet small enough that building and running any accepted network
    // takes little memory and time.
    public static let digitClasses = 10
    public static let modelInputSize = 28
    public static let maxConvolutions = 16
    public static let maxFilters = 512
    public static let maxParameters = 5_000_000
    public static let maxMultiplyAccumulates = 500_000_000
    public static let maxActivationBytesPerImage = 32 * 1024 * 1024

    /// Checks every field against the hard limits above, in an order that never overflows: counts
    /// and sizes first, then the derived totals. Throws `RecognitionError.invalidArchitecture`.
    public func validate() throws {
        guard CharacterClasses.withCount(classes) != nil else {
            throw RecognitionError.invalidArchitecture(
                "\"classes\" is \(classes), but a model reads the 10 digits, the 52 letters or the 62 of both")
        }
        guard inputSize == Self.modelInputSize else {
            throw RecognitionError.invalidArchitecture(
                "\"inputSize\" is \(inputSize), but the model input is \(Self.modelInputSize)x\(Self.modelInputSize) pixels")
        }
        guard dropout.isFinite, (0..<1).contains(dropout) else {
            throw RecognitionError.invalidArchitecture("\"dropout\" must be in [0, 1), got \(dropout)")
        }
        if family == .baseline { return }
        guard !stages.isEmpty, stages.allSatisfy({ !$0.isEmpty }) else {
            throw RecognitionError.invalidArchitecture("\"stages\" needs at least one stage, and every stage at least one convolution")
        }
        let convolutions = stages.reduce(0) { $0 + $1.count }
        guard convolutions <= Self.maxConvolutions else {
            throw RecognitionError.invalidArchitecture(
                "\"stages\" has \(convolutions) convolutions; at most \(Self.maxConvolutions) are allowed")
        }
        if let bad = stages.joined().first(where: { $0 < 1 || $0 > Self.maxFilters }) {
            throw RecognitionError.invalidArchitecture(
                "a convolution in \"stages\" has \(bad) filters; each needs 1...\(Self.maxFilters)")
        }
        guard kernelSize >= 1, kernelSize <= 7, kernelSize % 2 == 1 else {
            throw RecognitionError.invalidArchitecture("\"kernelSize\" must be odd and between 1 and 7, got \(kernelSize)")
        }
        guard stages.count <= 5, inputSize >> (stages.count - 1) >= 1 else {
            throw RecognitionError.invalidArchitecture(
                "\"stages\" has \(stages.count) stages; a \(inputSize)-pixel input allows at most 5 (one 2x2 pooling between stages)")
        }
        // With the counts bounded above, none of these totals can overflow.
        guard parameterCount <= Self.maxParameters else {
            throw RecognitionError.invalidArchitecture(
                "the network would have \(parameterCount) parameters; at most \(Self.maxParameters) are allowed")
        }
        guard multiplyAccumulates <= Self.maxMultiplyAccumulates else {
            throw RecognitionError.invalidArchitecture(
                "the network would need \(multiplyAccumulates) multiply-adds per digit; at most \(Self.maxMultiplyAccumulates) are allowed")
        }
        guard activationBytesPerImage <= Self.maxActivationBytesPerImage else {
            throw RecognitionError.invalidArchitecture(
                "the network would need \(activationBytesPerImage / 1_048_576) MB of working memory per digit; "
                    + "at most \(Self.maxActivationBytesPerImage / 1_048_576) MB are allowed")
        }
    }

    /// Name and shape of every tensor the built network holds, in the order `build()` creates
    /// them, computed without allocating the network: what a weights file must contain exactly.
    public var tensorShapes: [(name: String, shape: [Int])] {
        var out: [(String, [Int])] = []
        func conv(_ i: Int, _ input: Int, _ filters: Int, _ kernel: Int) {
            out += [("\(i).weight", [filters, input, kernel, kernel]), ("\(i).bias", [filters])]
        }
        func batchNorm(_ i: Int, _ channels: Int) {
            out += [("\(i).weight", [channels]), ("\(i).bias", [channels]),
                    ("\(i).running_mean", [channels]), ("\(i).running_var", [channels])]
        }
        func dense(_ i: Int, _ input: Int, _ output: Int) {
            out += [("\(i).weight", [output, input]), ("\(i).bias", [output])]
        }
        if family == .baseline {
            conv(0, 1, 32, 3); conv(3, 32, 64, 3); dense(7, 64 * 5 * 5, 128); dense(10, 128, classes)
            return out
        }
        var index = 0, channels = 1
        for (s, stage) in stages.enumerated() {
            for filters in stage {
                conv(index, channels, filters, kernelSize)
                batchNorm(index + 1, filters)
                index += 3
                channels = filters
            }
            if s < stages.count - 1 { index += 1 }
        }
        dense(index + 2, channels, classes)   // after global average pool and dropout
        return out
    }

    /// Number of weights (including batch-norm statistics) the network holds.
    public var parameterCount: Int {
        tensorShapes.reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Bytes of layer outputs and convolution columns one image needs during inference.
    public var activationBytesPerImage: Int {
        if family == .baseline {
            return 4 * (26 * 26 * 9 + 26 * 26 * 32 * 2 + 13 * 13 * 32 + 11 * 11 * 288 + 11 * 11 * 64 * 2 + 1600 + 128 * 3 + classes)
        }
        var floats = 0, channels = 1, size = inputSize
        for (s, stage) in stages.enumerated() {
            for filters in stage {
                // im2col columns, then convolution, batch norm and ReLU outputs.
                floats += size * size * (channels * kernelSize * kernelSize + 3 * filters)
                channels = filters
            }
            if s < stages.count - 1 { size /= 2; floats += size * size * channels }
        }
        return 4 * (floats + 2 * channels + classes)
    }

    public func build(seed: UInt64 = 0) -> Sequential {
        if family == .baseline { return buildBaseline(seed: seed) }
        var layers: [Layer] = []
        var channels = 1
        for (s, stage) in stages.enumerated() {
            for filters in stage {
                let conv = Conv2D(inChannels: channels, outChannels: filters, kernel: kernelSize, padding: kernelSize / 2)
                if channels == 1 { conv.computesInputGradient = false }
                layers += [conv, BatchNorm(channels: filters), ReLU()]
                channels = filters
            }
            if s < stages.count - 1 { layers.append(MaxPool(size: 2)) }
        }
        layers += [GlobalAveragePool(), Dropout(rate: dropout, seed: seed &+ 1), Dense(inFeatures: channels, outFeatures: classes)]
        let net = Sequential(layers)
        Initialization.heNormal(net, seed: seed)
        return net
    }

    private func buildBaseline(seed: UInt64) -> Sequential {
        let first = Conv2D(inChannels: 1, outChannels: 32, kernel: 3)
        first.computesInputGradient = false
        let net = Sequential([
            first, ReLU(), MaxPool(size: 2),                                    // 28 → 26 → 13
            Conv2D(inChannels: 32, outChannels: 64, kernel: 3), ReLU(), MaxPool(size: 2),   // 13 → 11 → 5
            Flatten(), Dense(inFeatures: 64 * 5 * 5, outFeatures: 128), ReLU(),
            Dropout(rate: dropout, seed: seed &+ 1), Dense(inFeatures: 128, outFeatures: classes),
        ])
        Initialization.heNormal(net, seed: seed)
        return net
    }

    /// Multiply-accumulates of one forward pass, for benchmarks and the model card.
    public var multiplyAccumulates: Int {
        if family == .baseline { return 26 * 26 * 32 * 9 + 11 * 11 * 64 * 288 + 1600 * 128 + 128 * classes }
        var total = 0, channels = 1, size = inputSize
        for (s, stage) in stages.enumerated() {
            for filters in stage {
                total += size * size * filters * channels * kernelSize * kernelSize
                channels = filters
            }
            if s < stages.count - 1 { size /= 2 }
        }
        return total + channels * classes
    }
}
