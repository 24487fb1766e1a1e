import XCTest
@testable import NumeralEngine

/// Every layer's backward pass against central finite differences of L = Σ forward(x) · r.
final class GradientCheckTests: XCTestCase {
    private func randomTensor(_ shape: [Int], _ rng: inout SeededGenerator, scale: Float = 1) -> Tensor {
        let t = Tensor(shape: shape)
        for i in 0..<t.count { t[i] = rng.nextGaussian() * scale }
        return t
    }

    private func objective(_ layer: Layer, _ x: Tensor, _ r: Tensor, prepare: () -> Void) -> Double {
        prepare()
        let y = layer.forward(x, training: true)
        var s: Double = 0
        for i in 0..<y.count { s += Double(y[i]) * Double(r[i]) }
        return s
    }

    /// Checks input and parameter gradients; `prepare` resets randomness (dropout masks) per forward.
    private func check(_ layer: Layer, inputShape: [Int], seed: UInt64 = 1, tolerance: Double = 2e-2,
                       checkInput: Bool = true, distinctInputs: Bool = false, prepare: @escaping () -> Void = {},
                       file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededGenerator(seed: seed)
        for p in layer.parameters { for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() * 0.5 } }
        let x = randomTensor(inputShape, &rng)
        if distinctInputs {
            // Max pooling has kinks where two inputs tie; well-separated values keep the check away from them.
            var values = (0..<x.count).map { Float($0) * 0.1 }
            values.shuffle(using: &rng)
            x.copy(from: values)
        }
        prepare()
        let y = layer.forward(x, training: true)
        let r = randomTensor(y.shape, &rng)
        let dx = layer.backward(r).clone()
        let eps: Float = 1e-3

        func compare(_ analytic: Float, _ numeric: Double, _ what: String) {
            let denom = max(1, abs(numeric), abs(Double(analytic)))
            XCTAssertLessThan(abs(Double(analytic) - numeric) / denom, tolerance,
                              "\(type(of: layer)) \(what): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
        }
        if checkInput {
            for i in stride(from: 0, to: x.count, by: max(1, x.count / 40)) {
                let old = x[i]
                x[i] = old + eps; let plus = objective(layer, x, r, prepare: prepare)
                x[i] = old - eps; let minus = objective(layer, x, r, prepare: prepare)
                x[i] = old
                compare(dx[i], (plus - minus) / Double(2 * eps), "d input[\(i)]")
            }
        }
        for (name, p) in layer.namedParameters {
            let grad = p.grad.clone()
            for i in stride(from: 0, to: p.value.count, by: max(1, p.value.count / 20)) {
                let old = p.value[i]
                p.value[i] = old + eps; let plus = objective(layer, x, r, prepare: prepare)
                p.value[i] = old - eps; let minus = objective(layer, x, r, prepare: prepare)
                p.value[i] = old
                compare(grad[i], (plus - minus) / Double(2 * eps), "d \(name)[\(i)]")
            }
        }
    }

    func testConv2DWithPadding() { check(Conv2D(inChannels: 2, outChannels: 3, kernel: 3, padding: 1), inputShape: [2, 2, 5, 5]) }
    func testConv2DStrided() { check(Conv2D(inChannels: 3, outChannels: 2, kernel: 3, stride: 2, padding: 1), inputShape: [3, 3, 7, 6]) }
    func testConv2D5x5NoPadding() { check(Conv2D(inChannels: 1, outChannels: 4, kernel: 5), inputShape: [2, 1, 8, 8]) }
    func testConv1x1() { check(Conv2D(inChannels: 4, outChannels: 3, kernel: 1), inputShape: [3, 4, 3, 3]) }
    func testDense() { check(Dense(inFeatures: 7, outFeatures: 4), inputShape: [5, 7]) }
    func testDenseFlattensInput() { check(Dense(inFeatures: 12, outFeatures: 3), inputShape: [2, 3, 2, 2]) }
    func testReLU() { check(ReLU(), inputShape: [3, 2, 4, 4]) }
    func testMaxPool() { check(MaxPool(size: 2), inputShape: [2, 3, 6, 6], distinctInputs: true) }
    func testGlobalAveragePool() { check(GlobalAveragePool(), inputShape: [2, 3, 4, 4]) }
    func testBatchNormSpatial() { check(BatchNorm(channels: 3), inputShape: [4, 3, 3, 3], tolerance: 3e-2) }
    func testBatchNormFeatures() { check(BatchNorm(channels: 5), inputShape: [6, 5], tolerance: 3e-2) }

    func testDropoutWithFixedMask() {
        let d = Dropout(rate: 0.4)
        check(d, inputShape: [3, 10], prepare: { d.reseed(42) })
    }

    func testResidualWithIdentityShortcut() {
        let body = Sequential([Conv2D(inChannels: 2, outChannels: 2, kernel: 3, padding: 1), ReLU(),
                               Conv2D(inChannels: 2, outChannels: 2, kernel: 3, padding: 1)])
        check(Residual(body: body), inputShape: [2, 2, 4, 4])
    }

    func testResidualWithProjection() {
        let body = Sequential([Conv2D(inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1), BatchNorm(channels: 3)])
        check(Residual(body: body, shortcut: Conv2D(inChannels: 2, outChannels: 3, kernel: 1, stride: 2)),
              inputShape: [3, 2, 6, 6], tolerance: 3e-2)
    }

    func testSmallNetworkEndToEnd() {
        let net = Sequential([Conv2D(inChannels: 1, outChannels: 3, kernel: 3, padding: 1), BatchNorm(channels: 3), ReLU(),
                              MaxPool(size: 2), Flatten(), Dense(inFeatures: 12, outFeatures: 4)])
        check(net, inputShape: [3, 1, 4, 4], tolerance: 3e-2)
    }

    func testSoftmaxCrossEntropyGradient() {
        var rng = SeededGenerator(seed: 3)
        let logits = Tensor(shape: [4, 5])
        for i in 0..<logits.count { logits[i] = rng.nextGaussian() }
        let labels = [0, 3, 4, 1]
        let loss = SoftmaxCrossEntropy(labelSmoothing: 0.1)
        let g = loss(logits: logits, labels: labels).gradient
        let eps: Float = 1e-3
        for i in 0..<logits.count {
            let old = logits[i]
            logits[i] = old + eps; let plus = loss(logits: logits, labels: labels).loss
            logits[i] = old - eps; let minus = loss(logits: logits, labels: labels).loss
            logits[i] = old
            XCTAssertEqual(g[i], (plus - minus) / (2 * eps), accuracy: 2e-3)
        }
    }
}

final class InferenceFusionTests: XCTestCase {
    func testFusedNetworkComputesTheSameFunction() {
        var rng = SeededGenerator(seed: 4)
        let net = Sequential([Conv2D(inChannels: 1, outChannels: 4, kernel: 3, padding: 1), BatchNorm(channels: 4), ReLU(),
                              MaxPool(size: 2), Conv2D(inChannels: 4, outChannels: 6, kernel: 3, padding: 1), BatchNorm(channels: 6), ReLU(),
                              GlobalAveragePool(), Dense(inFeatures: 6, outFeatures: 3)])
        Initialization.heNormal(net, seed: 2)
        for (name, t) in net.namedTensors where name.contains("running") || name.hasPrefix("1.") || name.hasPrefix("5.") {
            for i in 0..<t.count { t[i] = name.contains("var") ? 0.5 + rng.nextFloat() : rng.nextGaussian() * 0.3 }
        }
        let x = Tensor(shape: [2, 1, 8, 8])
        for i in 0..<x.count { x[i] = rng.nextGaussian() }
        let expected = net.forward(x, training: false).array
        let fused = InferenceFusion.fuse(net)
        XCTAssertEqual(fused.layers.count, 5, "conv+bn+relu collapse into one layer each")
        let got = fused.forward(x, training: false).array
        for (a, b) in zip(expected, got) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    /// The Keras-style network has no batch norm: conv+ReLU and dense+ReLU fuse on their own, and
    /// odd feature maps (7 → 3 after pooling) drop their last row and column as in training mode.
    func testConvAndDenseFollowedByReLUFuseWithoutBatchNorm() {
        var rng = SeededGenerator(seed: 5)
        let net = Sequential([Conv2D(inChannels: 1, outChannels: 4, kernel: 3), ReLU(), MaxPool(size: 2),
                              Flatten(), Dense(inFeatures: 4 * 3 * 3, outFeatures: 8), ReLU(), Dropout(rate: 0.5, seed: 1),
                              Dense(inFeatures: 8, outFeatures: 3)])
        Initialization.heNormal(net, seed: 3)
        for batch in [1, 3] {
            let x = Tensor(shape: [batch, 1, 9, 9])
            for i in 0..<x.count { x[i] = rng.nextGaussian() }
            // Training-mode max-pool (with winner tracking) is the reference for the inference fast path.
            let pooledInTraining = MaxPool(size: 2).forward(ReLU().forward(net.layers[0].forward(x, training: false), training: false),
                                                            training: true).array
            let expected = net.forward(x, training: false).array
            let fused = InferenceFusion.fuse(net)
            XCTAssertEqual(fused.layers.count, 6, "conv+relu and dense+relu collapse")
            let pooledFast = fused.layers[1].forward(fused.layers[0].forward(x, training: false), training: false).array
            XCTAssertEqual(pooledInTraining, pooledFast)
            let got = fused.forward(x, training: false).array
            XCTAssertEqual(expected.count, got.count)
            for (a, b) in zip(expected, got) { XCTAssertEqual(a, b, accuracy: 1e-5) }
            XCTAssertFalse((net.layers[0] as! Conv2D).fusedReLU, "fusing must not change the training network")
        }
    }
}
