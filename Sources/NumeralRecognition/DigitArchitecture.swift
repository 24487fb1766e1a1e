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

    public func validate() throws {
        guard !stages.isEmpty, stages.allSatisfy({ !$0.isEmpty }), stages.joined().allSatisfy({ $0 > 0 && $0 <= 1024 }) else {
            throw RecognitionError.invalidArchitecture("every stage needs at least one convolution with 1...1024 filters")
        }
        guard kernelSize >= 1, kernelSize <= 7, kernelSize % 2 == 1 else {
            throw RecognitionError.invalidArchitecture("kernel size must be odd and between 1 and 7, got \(kernelSize)")
        }
        guard (0..<1).contains(dropout) else {
            throw RecognitionError.invalidArchitecture("dropout must be in [0, 1), got \(dropout)")
        }
        guard inputSize >> (stages.count - 1) >= 1 else {
            throw RecognitionError.invalidArchitecture("too many pooling stages for a \(inputSize)-pixel input")
        }
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
