import XCTest
@testable import NumeralEngine

/// The batched and fused kernels against the plain ones: a convolution's matrix products over a
/// group of images (the OpenBLAS path; `OneDNNConvolutionTests` checks oneDNN against it), the
/// fused batch norm + ReLU step, and the layers split over the cores.
final class BatchedKernelTests: XCTestCase {
    private func conv(_ cin: Int, _ cout: Int, kernel: Int = 3, stride: Int = 1, padding: Int = 1, seed: UInt64 = 1) -> Conv2D {
        let c = Conv2D(inChannels: cin, outChannels: cout, kernel: kernel, stride: stride, padding: padding)
        c.backend = .openBLAS
        var rng = SeededGenerator(seed: seed)
        for p in c.parameters { for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() * 0.5 } }
        return c
    }

    /// Groups of 1, 2 and 3 images (with a remainder group), on one and on two workers, give the same
    /// outputs and gradients as one image at a time on one worker.
    func testGroupedConvolutionMatchesOneImageAtATime() {
        for (kernel, stride, padding) in [(3, 1, 1), (3, 2, 1), (5, 1, 0), (1, 1, 0)] {
            let x = seededTensor([7, 3, 9, 8], seed: 2)
            let reference = conv(3, 4, kernel: kernel, stride: stride, padding: padding)
            reference.parallel = .serial
            reference.columnBudget = 1   // one image per product
            let y0 = reference.forward(x, training: true).array
            let dy = seededTensor(reference.forward(x, training: true).shape, seed: 3)
            let dx0 = reference.backward(dy).array
            let dw0 = reference.weight.grad.array, db0 = reference.bias.grad.array
            let perImage = 3 * kernel * kernel * reference.outputSize(9, 8).0 * reference.outputSize(9, 8).1
            for (workers, group) in [(1, 2), (1, 3), (2, 2), (2, 7)] {
                let c = conv(3, 4, kernel: kernel, stride: stride, padding: padding)
                c.parallel = ParallelChunks(workers: workers)
                c.columnBudget = perImage * group
                let what = "kernel \(kernel) stride \(stride) padding \(padding), \(workers) workers, groups of \(group)"
                assertClose(c.forward(x, training: true).array, y0, what + ": output")
                assertClose(c.backward(dy).array, dx0, what + ": input gradient")
                assertClose(c.weight.grad.array, dw0, what + ": weight gradient")
                assertClose(c.bias.grad.array, db0, what + ": bias gradient")
            }
        }
    }

    private func assertClose(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-4, what, file: file, line: line)
    }

    /// Batch norm + ReLU in one step (as `Sequential` runs them) equals the two layers one after the other, bit for bit.
    func testFusedBatchNormReLUIsBitIdenticalToTheTwoLayers() {
        let x = seededTensor([5, 3, 4, 4], seed: 4)
        let dy = seededTensor([5, 3, 4, 4], seed: 5)
        func make() -> (BatchNorm, ReLU) {
            let bn = BatchNorm(channels: 3)
            var rng = SeededGenerator(seed: 6)
            for c in 0..<3 { bn.gamma.value[c] = 1 + rng.nextGaussian() * 0.3; bn.beta.value[c] = rng.nextGaussian() * 0.3 }
            return (bn, ReLU())
        }
        let (bn1, relu1) = make()
        let separateY = relu1.forward(bn1.forward(x, training: true), training: true).array
        let separateDx = bn1.backward(relu1.backward(dy)).array
        let (bn2, relu2) = make()
        let fused = Sequential([bn2, relu2])
        XCTAssertEqual(fused.forward(x, training: true).array, separateY)
        XCTAssertEqual(fused.backward(dy).array, separateDx)
        XCTAssertEqual(bn2.gamma.grad.array, bn1.gamma.grad.array)
        XCTAssertEqual(bn2.beta.grad.array, bn1.beta.grad.array)
        XCTAssertEqual(bn2.runningMean.array, bn1.runningMean.array)
        XCTAssertEqual(bn2.runningVar.array, bn1.runningVar.array)
        // At inference, with the running statistics.
        XCTAssertEqual(fused.forward(x, training: false).array,
                       relu1.forward(bn1.forward(x, training: false), training: false).array)
    }

    /// Max pooling, ReLU and dense layers split over two workers equal their one-worker results.
    func testLayersSplitOverWorkersMatchOneWorker() {
        let x = seededTensor([6, 3, 6, 6], seed: 7)
        let dy = seededTensor([6, 3, 3, 3], seed: 8)
        let (p1, p2) = (MaxPool(size: 2), MaxPool(size: 2))
        p1.parallel = .serial
        p2.parallel = ParallelChunks(workers: 2)
        XCTAssertEqual(p1.forward(x, training: true).array, p2.forward(x, training: true).array)
        XCTAssertEqual(p1.backward(dy).array, p2.backward(dy).array)
        XCTAssertEqual(p1.forward(x, training: false).array, p2.forward(x, training: false).array)

        let (d1, d2) = (Dense(inFeatures: 108, outFeatures: 5), Dense(inFeatures: 108, outFeatures: 5))
        var rng = SeededGenerator(seed: 9)
        for i in 0..<d1.weight.value.count { d1.weight.value[i] = rng.nextGaussian() }
        d2.weight.value.copy(from: d1.weight.value)
        d1.parallel = .serial
        d2.parallel = ParallelChunks(workers: 2)
        let g = seededTensor([6, 5], seed: 10)
        assertClose(d2.forward(x, training: true).array, d1.forward(x, training: true).array, "dense output")
        assertClose(d2.backward(g).array, d1.backward(g).array, "dense input gradient")
        assertClose(d2.weight.grad.array, d1.weight.grad.array, "dense weight gradient")
    }

    /// Gradient checks of the grouped convolution itself (the plain checks use batches of one or two).
    func testGroupedConvolutionGradientsAgainstFiniteDifferences() {
        let c = conv(2, 3)
        c.parallel = ParallelChunks(workers: 2)
        c.columnBudget = 2 * 18 * 25   // groups of two 5×5 images
        let x = seededTensor([5, 2, 5, 5], seed: 11)
        let y = c.forward(x, training: true)
        let r = seededTensor(y.shape, seed: 12)
        let dx = c.backward(r).clone()
        let dw = c.weight.grad.clone()
        func objective() -> Double {
            let y = c.forward(x, training: true)
            var s = 0.0
            for i in 0..<y.count { s += Double(y[i]) * Double(r[i]) }
            return s
        }
        let eps: Float = 1e-3
        for i in stride(from: 0, to: x.count, by: 7) {
            let old = x[i]
            x[i] = old + eps; let plus = objective()
            x[i] = old - eps; let minus = objective()
            x[i] = old
            XCTAssertEqual(Double(dx[i]), (plus - minus) / Double(2 * eps), accuracy: 2e-2 * max(1, abs(Double(dx[i]))))
        }
        for i in 0..<c.weight.value.count {
            let old = c.weight.value[i]
            c.weight.value[i] = old + eps; let plus = objective()
            c.weight.value[i] = old - eps; let minus = objective()
            c.weight.value[i] = old
            XCTAssertEqual(Double(dw[i]), (plus - minus) / Double(2 * eps), accuracy: 2e-2 * max(1, abs(Double(dw[i]))))
        }
    }
}

/// The same seed gives the same training, bit for bit, with every parallel and batched kernel in play.
final class TrainingDeterminismTests: XCTestCase {
    private func train(seed: UInt64) -> [[Float]] {
        let net = Sequential([
            Conv2D(inChannels: 1, outChannels: 8, kernel: 3, padding: 1), BatchNorm(channels: 8), ReLU(), MaxPool(size: 2),
            Conv2D(inChannels: 8, outChannels: 16, kernel: 3, padding: 1), BatchNorm(channels: 16), ReLU(),
            GlobalAveragePool(), Dropout(rate: 0.3, seed: seed), Dense(inFeatures: 16, outFeatures: 10),
        ])
        Initialization.heNormal(net, seed: seed)
        let optimizer = Adam(parameters: net.parameters, weightDecay: 1e-4)
        var rng = SeededGenerator(seed: seed &+ 100)
        let x = Tensor(shape: [24, 1, 12, 12])
        let loss = SoftmaxCrossEntropy(labelSmoothing: 0.1)
        for _ in 0..<6 {
            for i in 0..<x.count { x[i] = rng.nextFloat() }
            let labels = (0..<24).map { _ in Int(rng.next() % 10) }
            let result = loss(logits: net.forward(x, training: true), labels: labels)
            _ = net.backward(result.gradient)
            optimizer.step(learningRate: 1e-2)
        }
        return net.namedTensors.map(\.1.array)
    }

    func testSameSeedGivesBitIdenticalWeights() {
        let a = train(seed: 21), b = train(seed: 21), c = train(seed: 22)
        XCTAssertEqual(a.count, b.count)
        for (i, (ta, tb)) in zip(a, b).enumerated() { XCTAssertEqual(ta, tb, "tensor \(i) differs between two runs with one seed") }
        XCTAssertNotEqual(a, c, "a different seed must give different weights")
    }
}
