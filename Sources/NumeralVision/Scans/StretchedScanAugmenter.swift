/// Degraded training copies for box-stretched scans: a 28×28 digit (ink = 1) is turned into a
/// random `StretchedScan` (a 13–18 px square, threshold 0.35–0.65, its strokes thickened by one
/// bitmap pixel a third of the time, enlarged 2–5×, blocky or soft) and read back through `PictureNormalizer`, exactly as the picture path would read such a scan.
public struct StretchedScanAugmenter: Sendable, Equatable {
    /// Share of training images that get this degradation (the rest are left to the caller).
    public var probability: Float
    public var normalizer: PictureNormalizer

    public init(probability: Float = 0.15, normalizer: PictureNormalizer = PictureNormalizer()) {
        self.probability = probability.isFinite ? min(max(probability, 0), 1) : 0
        self.normalizer = normalizer
    }

    /// Whether the next image should be degraded (draws from `rng` only when `probability` > 0).
    public func applies(using rng: inout some RandomNumberGenerator) -> Bool {
        probability > 0 && rng.unitFloat() < probability
    }

    /// Writes the degraded model input of the 28×28 `src` into `dst`; copies `src` when the
    /// degradation leaves no ink (a faint digit under a high threshold).
    public func degrade(_ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>,
                        using rng: inout some RandomNumberGenerator) {
        let side = MNISTDataset.side
        precondition(src.count == side * side && dst.count == side * side, "StretchedScanAugmenter needs 28x28 buffers")
        let scan = StretchedScan(side: 13 + Int(rng.next() % 6), threshold: rng.uniform(0.35...0.65))
        let scale = 2 + Int(rng.next() % 4)
        let smooth = rng.unitFloat() < 0.3
        let thick = rng.unitFloat() < 1 / 3
        if let thin = scan.bitmap(of: GrayImage(width: side, height: side, pixels: Array(src))),
           case let bits = thick ? scan.thickened(thin) : thin,
           bits.contains(true),
           let input = try? normalizer.normalize(scan.enlarged(bits, scale: scale, margin: scale, smooth: smooth)),
           input.pixels.count == dst.count {
            for i in 0..<dst.count { dst[i] = input.pixels[i] }
        } else {
            for i in 0..<dst.count { dst[i] = src[i] }
        }
    }
}
