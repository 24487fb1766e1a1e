/// He (Kaiming) normal initialization for layers followed by ReLU; biases start at zero.
public enum Initialization {
    public static func heNormal(_ network: Layer, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for p in network.parameters where p.decays {
            let shape = p.value.shape
            let fanIn = shape.dropFirst().reduce(1, *)
            let std = (2 / Float(max(fanIn, 1))).squareRoot()
            for i in 0..<p.value.count { p.value[i] = rng.nextGaussian() * std }
        }
    }
}
