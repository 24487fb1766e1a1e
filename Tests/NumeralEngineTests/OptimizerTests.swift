import XCTest
@testable import NumeralEngine

final class OptimizerTests: XCTestCase {
    /// A tiny network must fit a small separable problem; this exercises forward, backward and the optimizer together.
    private func fit(_ makeOptimizer: ([Parameter]) -> Optimizer, lr: Float) -> Float {
        var rng = SeededGenerator(seed: 11)
        let net = Sequential([Dense(inFeatures: 2, outFeatures: 16), ReLU(), Dense(inFeatures: 16, outFeatures: 2)])
        Initialization.heNormal(net, seed: 1)
        let opt = makeOptimizer(net.parameters)
        let x = Tensor(shape: [64, 2])
        var labels = [Int]()
        for i in 0..<64 {
            let a = rng.nextGaussian(), b = rng.nextGaussian()
            x[2 * i] = a; x[2 * i + 1] = b
            labels.append(a * b > 0 ? 1 : 0)   // XOR-like: needs the hidden layer
        }
        let loss = SoftmaxCrossEntropy()
        var last: Float = 0
        for _ in 0..<400 {
            let r = loss(logits: net.forward(x, training: true), labels: labels)
            _ = net.backward(r.gradient)
            opt.step(learningRate: lr)
            last = Float(r.correct) / 64
        }
        return last
    }

    func testAdamWFitsXor() { XCTAssertGreaterThan(fit({ Adam(parameters: $0, weightDecay: 1e-4) }, lr: 0.01), 0.95) }
    func testSGDMomentumFitsXor() { XCTAssertGreaterThan(fit({ SGD(parameters: $0, momentum: 0.9, weightDecay: 1e-4, nesterov: true) }, lr: 0.05), 0.95) }

    func testSchedulesWarmUpAndDecay() {
        let c = LearningRateSchedule.cosine
        XCTAssertEqual(c.rate(peak: 1, step: 0, totalSteps: 100, warmupSteps: 10), 0.1, accuracy: 1e-6)
        XCTAssertEqual(c.rate(peak: 1, step: 10, totalSteps: 100, warmupSteps: 10), 1, accuracy: 1e-6)
        XCTAssertLessThan(c.rate(peak: 1, step: 99, totalSteps: 100, warmupSteps: 10), 0.01)
        let o = LearningRateSchedule.oneCycle
        XCTAssertEqual(o.rate(peak: 1, step: 0, totalSteps: 100, warmupSteps: 0), 0.04, accuracy: 1e-6)
        XCTAssertEqual(o.rate(peak: 1, step: 30, totalSteps: 100, warmupSteps: 0), 1, accuracy: 1e-3)
        XCTAssertLessThan(o.rate(peak: 1, step: 100, totalSteps: 100, warmupSteps: 0), 1e-3)
    }

    func testEarlyStoppingWaitsForPatience() {
        var e = EarlyStopping(patience: 2)
        XCTAssertTrue(e.record(0.9, epoch: 0))
        XCTAssertFalse(e.record(0.85, epoch: 1)); XCTAssertFalse(e.shouldStop)
        XCTAssertFalse(e.record(0.89, epoch: 2)); XCTAssertTrue(e.shouldStop)
        XCTAssertEqual(e.bestEpoch, 0)
    }

    func testSeededGeneratorIsDeterministic() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        XCTAssertEqual((0..<10).map { _ in a.next() }, (0..<10).map { _ in b.next() })
    }
}
