@testable import NumeralEngine

/// A tensor of standard-normal values from a seeded generator, the same for a seed every time.
func seededTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let t = Tensor(shape: shape)
    for i in 0..<t.count { t[i] = rng.nextGaussian() }
    return t
}
