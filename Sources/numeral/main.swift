import Foundation
import NumeralEngine
import NumeralRecognition

EngineThreads.configure()
for arch in [DigitArchitecture.standard, DigitArchitecture.small, DigitArchitecture(stages: [[32], [64, 64], [128]]), DigitArchitecture(stages: [[24, 32], [48, 64], [96]])] {
    let net = arch.build(seed: 1)
    let x1 = Tensor(shape: [1, 1, 28, 28])
    for i in 0..<784 { x1[i] = Float(i % 7) / 7 }
    _ = net.forward(x1, training: false)
    var t0 = Date()
    for _ in 0..<500 { _ = net.forward(x1, training: false) }
    let single = Date().timeIntervalSince(t0) / 500 * 1000
    let xb = Tensor(shape: [128, 1, 28, 28])
    for i in 0..<xb.count { xb[i] = Float(i % 11) / 11 }
    let labels = (0..<128).map { $0 % 10 }
    let loss = SoftmaxCrossEntropy()
    _ = net.backward(loss(logits: net.forward(xb, training: true), labels: labels).gradient)
    t0 = Date()
    for _ in 0..<5 { _ = net.backward(loss(logits: net.forward(xb, training: true), labels: labels).gradient) }
    let batch = Date().timeIntervalSince(t0) / 5
    print(arch.stages, "MACs", arch.multiplyAccumulates, String(format: "single %.3f ms, train %.1f img/s, epoch(60k) %.0f s", single, 128 / batch, 60000 / (128 / batch)))
}
