import XCTest
@testable import NumeralEngine

/// The activation bound is a true upper bound (no input in range exceeds it) and exact where it
/// can be (a single row whose input signs line up with its weights).
final class ActivationBoundTests: XCTestCase {
    func testBoundOfKnownLayers() throws {
        let dense = Dense(inFeatures: 3, outFeatures: 2)
        for (i, v) in [1, -2, 0.5, 0.25, 0, 0].enumerated() { dense.weight.value[i] = Float(v) }
        dense.bias.value[0] = -1
        // Row 0: (1 + 2 + 0.5)·2 + 1 = 8; row 1: 0.25·2 = 0.5.
        XCTAssertEqual(try XCTUnwrap(ActivationBound.of(dense, input: 2)), 8, accuracy: 1e-9)
        let bn = BatchNorm(channels: 1)
        bn.gamma.value[0] = 2; bn.beta.value[0] = -3; bn.runningMean[0] = 1; bn.runningVar[0] = 4 - bn.epsilon
        // |γ|/σ · (input + |μ|) + |β| = 2/2 · (5 + 1) + 3 = 9.
        XCTAssertEqual(try XCTUnwrap(ActivationBound.of(bn, input: 5)), 9, accuracy: 1e-5)
        XCTAssertEqual(ActivationBound.of(Sequential([ReLU(), MaxPool(size: 2), GlobalAveragePool()]), input: 7), 7)
        XCTAssertEqual(try XCTUnwrap(ActivationBound.of(Sequential([dense, ReLU()]), input: 2)), 8, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(ActivationBound.of(Residual(body: ReLU()), input: 3)), 6, accuracy: 1e-9)
    }

    func testNoInputExceedsTheBoundOfARandomNetwork() throws {
        let net = Sequential([
            Conv2D(inChannels: 1, outChannels: 4, kernel: 3, padding: 1), BatchNorm(channels: 4), ReLU(), MaxPool(size: 2),
            Conv2D(inChannels: 4, outChannels: 8, kernel: 3, padding: 1), ReLU(), GlobalAveragePool(), Dense(inFeatures: 8, outFeatures: 3),
        ])
        Initialization.heNormal(net, seed: 5)
        let bound = try XCTUnwrap(ActivationBound.of(net, input: 1))
        var rng = SeededGenerator(seed: 6)
        let x = Tensor(shape: [16, 1, 8, 8])
        for i in 0..<x.count { x[i] = rng.nextFloat() * 2 - 1 }
        let y = net.forward(x, training: false)
        XCTAssertLessThanOrEqual(Double(y.array.map(abs).max() ?? 0), bound)
    }

    func testAnUnknownLayerHasNoBound() {
        final class Opaque: Layer {
            func forward(_ input: Tensor, training: Bool) -> Tensor { input }
            func backward(_ gradOutput: Tensor) -> Tensor { gradOutput }
        }
        XCTAssertNil(ActivationBound.of(Sequential([ReLU(), Opaque()]), input: 1))
    }
}
