import XCTest
@testable import NumeralEngine

/// The explanation network computes the inference function of the trained network (batch norm with
/// running statistics, no dropout) and its input gradient is that function's gradient.
final class InputGradientTests: XCTestCase {
    /// conv-BN-ReLU, max-pool, conv-BN-ReLU, global average pool, dropout, dense: the digit model's shape, small.
    private func network(seed: UInt64 = 3) -> Sequential {
        let net = Sequential([
            Conv2D(inChannels: 1, outChannels: 4, kernel: 3, padding: 1), BatchNorm(channels: 4), ReLU(), MaxPool(size: 2),
            Conv2D(inChannels: 4, outChannels: 6, kernel: 3, padding: 1), BatchNorm(channels: 6), ReLU(),
            GlobalAveragePool(), Dropout(rate: 0.5), Dense(inFeatures: 6, outFeatures: 3),
        ])
        var rng = SeededGenerator(seed: seed)
        for p in net.parameters { for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() * 0.5 } }
        for case let bn as BatchNorm in net.layers {
            for c in 0..<bn.channels {
                bn.runningMean[c] = rng.nextGaussian() * 0.3
                bn.runningVar[c] = 0.5 + abs(rng.nextGaussian())
            }
        }
        return net
    }

    private func input(_ rng: inout SeededGenerator) -> Tensor {
        let x = Tensor(shape: [1, 1, 8, 8])
        for i in 0..<x.count { x[i] = rng.nextFloat() }
        return x
    }

    func testOutputsEqualTheTrainedNetworkAtInference() throws {
        let net = network()
        let probe = try InputGradient(net)
        XCTAssertFalse(probe.network.layers.contains { $0 is BatchNorm || $0 is Dropout })
        var rng = SeededGenerator(seed: 9)
        let x = input(&rng)
        let expected = net.forward(x, training: false).array
        let got = probe.forward(x).array
        for (e, g) in zip(expected, got) { XCTAssertEqual(e, g, accuracy: 1e-4) }
        // The same as the fused network that predictions use.
        let fused = InferenceFusion.fuse(net).forward(x, training: false).array
        for (e, g) in zip(fused, got) { XCTAssertEqual(e, g, accuracy: 1e-4) }
    }

    func testInputGradientMatchesFiniteDifferencesOfTheInferenceFunction() throws {
        let net = network()
        let probe = try InputGradient(net)
        var rng = SeededGenerator(seed: 11)
        let x = input(&rng)
        let weights: [Float] = [0.7, -1.2, 0.4]
        probe.forward(x)
        let grad = try probe.inputGradient(weights: weights).array
        XCTAssertGreaterThan(grad.map(abs).max()!, 1e-4, "a gradient of all zeros would pass any comparison")
        func objective() -> Double {
            let y = net.forward(x, training: false)
            return (0..<3).reduce(0) { $0 + Double(y[$1]) * Double(weights[$1]) }
        }
        let eps: Float = 1e-3
        var compared = 0
        for i in 0..<x.count {
            let old = x[i]
            x[i] = old + eps; let plus = objective()
            x[i] = old - eps; let minus = objective()
            x[i] = old
            let numeric = (plus - minus) / Double(2 * eps)
            XCTAssertEqual(Double(grad[i]), numeric, accuracy: 2e-2 * max(1, abs(numeric)), "pixel \(i)")
            compared += 1
        }
        XCTAssertEqual(compared, 64)
    }

    func testTheTrainedNetworkIsLeftAlone() throws {
        let net = network()
        let before = net.namedTensors.map { $0.1.array }
        let probe = try InputGradient(net)
        var rng = SeededGenerator(seed: 2)
        probe.forward(input(&rng))
        _ = try probe.inputGradient(weights: [1, 0, 0])
        XCTAssertEqual(net.namedTensors.map { $0.1.array }, before)
    }

    func testFeatureMapsAreTheActivatedConvolutionOutputs() throws {
        let net = network()
        let probe = try InputGradient(net)
        XCTAssertEqual(probe.convolutionOutputs.count, 2)
        var rng = SeededGenerator(seed: 5)
        let x = input(&rng)
        probe.forward(x)
        let maps = try probe.featureMaps(ofConvolution: 0)
        XCTAssertEqual(maps.shape, [1, 4, 8, 8])
        // conv → BN (running statistics) → ReLU of the trained network, layer by layer.
        var h = x
        for layer in net.layers.prefix(3) { h = layer.forward(h, training: false) }
        for (e, g) in zip(h.array, maps.array) { XCTAssertEqual(e, g, accuracy: 1e-4) }
        XCTAssertEqual(try probe.featureMaps(ofConvolution: 1).shape, [1, 6, 4, 4])
        XCTAssertThrowsError(try probe.featureMaps(ofConvolution: 2))
    }

    func testMisuseIsAnErrorNotACrash() throws {
        let probe = try InputGradient(network())
        XCTAssertThrowsError(try probe.inputGradient(weights: [1, 0, 0])) {
            XCTAssertEqual($0 as? AttributionError, .noForwardPass)
        }
        var rng = SeededGenerator(seed: 1)
        probe.forward(input(&rng))
        XCTAssertThrowsError(try probe.inputGradient(weights: [1])) {
            XCTAssertEqual($0 as? AttributionError, .weightCount(expected: 3, got: 1))
        }
        let residual = Sequential([Residual(body: ReLU())])
        XCTAssertThrowsError(try InputGradient(residual)) {
            XCTAssertTrue(String(describing: $0).contains("Residual"))
        }
    }
}
