import XCTest
@testable import NumeralEngine

/// oneDNN's convolutions (the default) against the OpenBLAS path they replaced: the same outputs
/// and gradients for every shape the engine uses and for awkward ones (channels that are not a
/// multiple of 16, stride 2, no padding, odd sizes, one image, a batch split unevenly over workers).
final class OneDNNConvolutionTests: XCTestCase {
    private func pair(_ cin: Int, _ cout: Int, kernel: Int, stride: Int, padding: Int) -> (Conv2D, Conv2D) {
        let dnn = Conv2D(inChannels: cin, outChannels: cout, kernel: kernel, stride: stride, padding: padding)
        let blas = Conv2D(inChannels: cin, outChannels: cout, kernel: kernel, stride: stride, padding: padding)
        dnn.backend = .oneDNN
        blas.backend = .openBLAS
        var rng = SeededGenerator(seed: UInt64(cin * 100 + cout))
        for (a, b) in zip(dnn.parameters, blas.parameters) {
            for i in 0..<a.value.count { a.value[i] = rng.nextGaussian() * 0.3 }
            b.value.copy(from: a.value)
        }
        return (dnn, blas)
    }

    /// Every element within 1e-5 of the largest magnitude in `b`: a weight gradient sums 50,000
    /// products at batch 64, and the two libraries add them in different orders, so an element near
    /// zero differs by the rounding of its large terms, not by its own size.
    private func assertClose(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let scale = max(1, b.map(abs).max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst / scale, 1e-5, what + " (worst difference \(worst), scale \(scale))", file: file, line: line)
    }

    func testOneDNNMatchesOpenBLASOnEveryShape() {
        let cases: [(n: Int, cin: Int, cout: Int, size: Int, kernel: Int, stride: Int, padding: Int)] = [
            (64, 1, 32, 28, 3, 1, 1),     // the shipped network's layers, at a training batch
            (64, 32, 32, 28, 3, 1, 1),
            (9, 32, 64, 14, 3, 1, 1),
            (1, 64, 64, 14, 3, 1, 1),     // one image, as the app predicts
            (3, 64, 128, 7, 3, 1, 1),
            (5, 1, 32, 28, 3, 1, 0),      // the baseline network's unpadded layers
            (5, 32, 64, 13, 3, 1, 0),
            (7, 3, 5, 9, 3, 2, 1),        // odd channels, stride 2
            (4, 6, 4, 8, 5, 1, 0),
            (2, 4, 3, 3, 1, 1, 0),
        ]
        for c in cases {
            let (dnn, blas) = pair(c.cin, c.cout, kernel: c.kernel, stride: c.stride, padding: c.padding)
            let x = seededTensor([c.n, c.cin, c.size, c.size], seed: 3)
            let what = "\(c)"
            let y = dnn.forward(x, training: true).array
            assertClose(y, blas.forward(x, training: true).array, what + ": output")
            let dy = seededTensor(dnn.forward(x, training: true).shape, seed: 4)
            assertClose(dnn.backward(dy).array, blas.backward(dy).array, what + ": input gradient")
            assertClose(dnn.weight.grad.array, blas.weight.grad.array, what + ": weight gradient")
            assertClose(dnn.bias.grad.array, blas.bias.grad.array, what + ": bias gradient")
            XCTAssertEqual(dnn.backend, .oneDNN, what + ": oneDNN gave up: \(dnn.oneDNNFailure ?? "")")
        }
    }

    /// A layer that skips the input gradient (the first) or the parameter gradients (explaining),
    /// and a ReLU fused into the convolution (inference networks), agree with OpenBLAS too.
    func testPartialBackwardAndFusedReLU() {
        let (dnn, blas) = pair(8, 16, kernel: 3, stride: 1, padding: 1)
        let x = seededTensor([6, 8, 10, 10], seed: 5)
        let dy = seededTensor([6, 16, 10, 10], seed: 6)
        for layer in [dnn, blas] { layer.computesInputGradient = false }
        _ = dnn.forward(x, training: true); _ = dnn.backward(dy)
        _ = blas.forward(x, training: true); _ = blas.backward(dy)
        assertClose(dnn.weight.grad.array, blas.weight.grad.array, "weights only: weight gradient")
        for layer in [dnn, blas] { layer.computesInputGradient = true; layer.computesParameterGradients = false }
        _ = dnn.forward(x, training: true); _ = blas.forward(x, training: true)
        assertClose(dnn.backward(dy).array, blas.backward(dy).array, "input gradient only")
        for layer in [dnn, blas] { layer.fusedReLU = true }
        let y = dnn.forward(x, training: false).array
        assertClose(y, blas.forward(x, training: false).array, "fused ReLU")
        XCTAssertEqual(y.min(), 0, "the fused ReLU clips negative outputs")
        XCTAssertEqual(dnn.backend, .oneDNN, "oneDNN gave up: \(dnn.oneDNNFailure ?? "")")
    }

    /// The same batch on one worker and on two gives the same result, and the same call twice gives
    /// bit-identical results (each worker's primitives run on one thread).
    func testWorkersAndRepeatsAreConsistent() {
        let (a, _) = pair(16, 32, kernel: 3, stride: 1, padding: 1)
        let (b, _) = pair(16, 32, kernel: 3, stride: 1, padding: 1)
        a.parallel = .serial
        b.parallel = ParallelChunks(workers: 2)
        let x = seededTensor([11, 16, 12, 12], seed: 7)
        let dy = seededTensor([11, 32, 12, 12], seed: 8)
        assertClose(b.forward(x, training: true).array, a.forward(x, training: true).array, "two workers: output")
        let dx1 = b.backward(dy).array, dw1 = b.weight.grad.array
        assertClose(dx1, a.backward(dy).array, "two workers: input gradient")
        assertClose(dw1, a.weight.grad.array, "two workers: weight gradient")
        _ = b.forward(x, training: true)
        XCTAssertEqual(b.backward(dy).array, dx1, "a repeated backward pass differs")
        XCTAssertEqual(b.weight.grad.array, dw1, "a repeated weight gradient differs")
    }

    /// Batch sizes that come and go (a training batch, the epoch's last partial batch, one image)
    /// each get their own primitives, and the results stay right.
    func testBatchSizesChangeFreely() {
        let (dnn, blas) = pair(4, 16, kernel: 3, stride: 1, padding: 1)
        for n in [1, 5, 64, 2, 5] {
            let x = seededTensor([n, 4, 7, 7], seed: UInt64(n))
            assertClose(dnn.forward(x, training: n % 2 == 0).array, blas.forward(x, training: false).array, "batch \(n)")
        }
    }

    /// Inference networks' convolutions (`constantWeights`) run Winograd's algorithm where it fits
    /// (3×3, stride 1, channels in sixteens): the same function within Winograd's rounding, for one
    /// image and for a batch, and the input gradient an explanation needs still comes from oneDNN.
    func testConstantWeightsWinogradMatchesOpenBLAS() {
        for (cin, cout, size) in [(32, 32, 28), (32, 64, 14), (64, 128, 7), (1, 32, 28)] {
            let (dnn, blas) = pair(cin, cout, kernel: 3, stride: 1, padding: 1)
            dnn.constantWeights = true
            dnn.fusedReLU = true
            blas.fusedReLU = true
            for n in [1, 7] {
                let x = seededTensor([n, cin, size, size], seed: UInt64(n + cin))
                let y = dnn.forward(x, training: false).array
                let reference = blas.forward(x, training: false).array
                let scale = max(1, reference.map(abs).max() ?? 0)
                let worst = zip(y, reference).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(worst / scale, 1e-4, "\(cin)->\(cout) at \(size)x\(size), batch \(n)")
            }
            let kernels = dnn.oneDNNImplementations
            if OneDNN.kernels == "AVX-512" {   // oneDNN has Winograd kernels for AVX-512 only
                XCTAssertEqual(kernels.contains { $0.contains("wino") }, cin >= 16, "kernels \(kernels)")
            }
            dnn.computesParameterGradients = false
            blas.computesParameterGradients = false
            let x = seededTensor([2, cin, size, size], seed: 9)
            _ = dnn.forward(x, training: true)
            _ = blas.forward(x, training: true)
            let dy = seededTensor([2, cout, size, size], seed: 10)
            assertClose(dnn.backward(dy).array, blas.backward(dy).array, "\(cin)->\(cout): input gradient")
            XCTAssertEqual(dnn.backend, .oneDNN, "oneDNN gave up: \(dnn.oneDNNFailure ?? "")")
        }
    }

    func testOpenBLASIsChosenByTheEnvironmentOnly() {
        XCTAssertEqual(ConvolutionBackend(rawValue: "openblas"), .openBLAS)
        XCTAssertEqual(ConvolutionBackend(rawValue: "onednn"), .oneDNN)
        if ProcessInfo.processInfo.environment["NUMERAL_CONVOLUTIONS"] == nil {
            XCTAssertEqual(ConvolutionBackend.preferred, .oneDNN)
        }
        XCTAssertFalse(OneDNN.kernels.isEmpty)
    }
}
