// The engine alone, compiled straight from Sources/NumeralEngine by benchmarks/engine-flags.sh: trains the
// shipped (or baseline) network on random 64-image batches and times single-image inference of its
// fused copy. Usage: engine-loop [shipped|baseline] [batches]
import Foundation
import Dispatch

func shipped(seed: UInt64) -> Sequential {
    var layers: [Layer] = []
    var ch = 1
    for (s, stage) in [[32, 32], [64, 64], [128]].enumerated() {
        for f in stage {
            let c = Conv2D(inChannels: ch, outChannels: f, kernel: 3, padding: 1)
            if ch == 1 { c.computesInputGradient = false }
            layers += [c, BatchNorm(channels: f), ReLU()]
            ch = f
        }
        if s < 2 { layers.append(MaxPool(size: 2)) }
    }
    layers += [GlobalAveragePool(), Dropout(rate: 0.3, seed: seed), Dense(inFeatures: ch, outFeatures: 10)]
    let n = Sequential(layers); Initialization.heNormal(n, seed: seed); return n
}
func baseline(seed: UInt64) -> Sequential {
    let first = Conv2D(inChannels: 1, outChannels: 32, kernel: 3); first.computesInputGradient = false
    let n = Sequential([first, ReLU(), MaxPool(size: 2), Conv2D(inChannels: 32, outChannels: 64, kernel: 3), ReLU(), MaxPool(size: 2),
                        Flatten(), Dense(inFeatures: 1600, outFeatures: 128), ReLU(), Dropout(rate: 0.5, seed: seed), Dense(inFeatures: 128, outFeatures: 10)])
    Initialization.heNormal(n, seed: seed); return n
}
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
EngineThreads.configure()
let which = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "shipped"
let batches = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2])! : 30
let net = which == "shipped" ? shipped(seed: 1) : baseline(seed: 1)
let opt = Adam(parameters: net.parameters, weightDecay: 1e-4)
var rng = SeededGenerator(seed: 5)
let x = Tensor(shape: [64, 1, 28, 28])
for i in 0..<x.count { x[i] = rng.nextFloat() }
let labels = (0..<64).map { _ in Int(rng.next() % 10) }
let loss = SoftmaxCrossEntropy()
var t0 = 0.0
for b in 0..<(batches + 3) {
    if b == 3 { t0 = now() }
    let r = loss(logits: net.forward(x, training: true), labels: labels)
    _ = net.backward(r.gradient)
    opt.step(learningRate: 1e-3)
}
let ips = Double(batches * 64) / (now() - t0)
let fused = InferenceFusion.fuse(net)
let one = Tensor(shape: [1, 1, 28, 28])
for i in 0..<one.count { one[i] = rng.nextFloat() }
for _ in 0..<200 { _ = fused.forward(one, training: false) }
var lat: [Double] = []
for _ in 0..<2000 { let t = now(); _ = fused.forward(one, training: false); lat.append((now() - t) * 1000) }
lat.sort()
print(String(format: "%@ train %.0f img/s (%.1f s per 60k epoch)  predict p50 %.3f ms p10 %.3f ms", which, ips, 60000 / ips, lat[1000], lat[200]))
