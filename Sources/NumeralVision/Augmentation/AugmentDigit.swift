/// Random, label-preserving distortions of digit images for training, applied on the fly.
///
/// Every image gets one combined map (rotation, scale, shear, shift and, with some probability,
/// an elastic distortion) resampled bilinearly in a single pass, then optionally a small change
/// of stroke width. The same seeded generator always yields the same result.
/// Distances are in pixels of the image being augmented (MNIST: 28x28).
public struct DigitAugmenter: Sendable, Equatable {
    public var maxRotationDegrees: Float
    public var scaleRange: ClosedRange<Float>
    /// Independent extra scale on x relative to y (1 +- this), so digits get narrower or wider.
    public var maxAspectJitter: Float
    public var maxShear: Float
    public var maxShift: Float
    /// Largest elastic displacement of a control point, in pixels (Simard's alpha, after smoothing).
    public var elasticAlpha: Float
    /// Distance between elastic control points in pixels; larger = smoother (plays sigma's role).
    public var elasticGridSpacing: Float
    public var elasticProbability: Float
    public var strokeWidthProbability: Float
    /// How far towards a full 1-pixel dilation/erosion a stroke-width change goes, at most.
    public var maxStrokeWidthStrength: Float

    public init(maxRotationDegrees: Float = 15, scaleRange: ClosedRange<Float> = 0.9...1.1,
                maxAspectJitter: Float = 0.1, maxShear: Float = 0.2, maxShift: Float = 2.5,
                elasticAlpha: Float = 1.5, elasticGridSpacing: Float = 7, elasticProbability: Float = 0.5,
                strokeWidthProbability: Float = 0.3, maxStrokeWidthStrength: Float = 0.8) {
        self.maxRotationDegrees = maxRotationDegrees
        self.scaleRange = scaleRange
        self.maxAspectJitter = maxAspectJitter
        self.maxShear = maxShear
        self.maxShift = maxShift
        self.elasticAlpha = elasticAlpha
        self.elasticGridSpacing = elasticGridSpacing
        self.elasticProbability = elasticProbability
        self.strokeWidthProbability = strokeWidthProbability
        self.maxStrokeWidthStrength = maxStrokeWidthStrength
    }

    /// No distortion at all: `augment` copies its input. Useful as a baseline and in tests.
    public static let identity = DigitAugmenter(
        maxRotationDegrees: 0, scaleRange: 1...1, maxAspectJitter: 0, maxShear: 0, maxShift: 0,
        elasticAlpha: 0, elasticProbability: 0, strokeWidthProbability: 0)

    /// Augments one 28x28 image (values 0...1) from `src` into `dst`.
    public func augment(_ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>,
                        using rng: inout some RandomNumberGenerator) {
        augment(src, into: dst, width: MNISTDataset.side, height: MNISTDataset.side, using: &rng)
    }

    /// Augments one `width x height` image. Both buffers must hold exactly `width * height` values
    /// and must not overlap — a caller bug, hence a precondition rather than a thrown error.
    public func augment(_ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>,
                        width: Int, height: Int, using rng: inout some RandomNumberGenerator) {
        let count = width * height
        precondition(width > 0 && height > 0 && src.count == count && dst.count == count,
                     "DigitAugmenter.augment needs \(width)x\(height) buffers, got \(src.count) -> \(dst.count) values")
        guard let source = src.baseAddress, let target = dst.baseAddress else { return }

        var warp = makeWarp(width: width, height: height, using: &rng)
        let useElastic = elasticAlpha > 0 && rng.unitFloat() < elasticProbability
        if useElastic {
            let spacing = max(2, elasticGridSpacing)
            warp.cellsX = max(1, Int((Float(width - 1) / spacing).rounded()))
            warp.cellsY = max(1, Int((Float(height - 1) / spacing).rounded()))
            let controls = (warp.cellsX + 1) * (warp.cellsY + 1) * 2
            withUnsafeTemporaryAllocation(of: Float.self, capacity: controls) { grid in
                for i in 0..<controls { grid[i] = rng.symmetric(elasticAlpha) }
                warp.resample(src: source, dst: target, width: width, height: height,
                              control: UnsafePointer(grid.baseAddress))
            }
        } else {
            warp.resample(src: source, dst: target, width: width, height: height, control: nil)
        }

        if strokeWidthProbability > 0, rng.unitFloat() < strokeWidthProbability {
            let operation: AugmentStrokeWidth.Operation = rng.unitFloat() < 0.5 ? .thicken : .thin
            // Thin MNIST strokes fade rather than narrow under erosion, so thinning goes half as far.
            let reach = operation == .thicken ? maxStrokeWidthStrength : maxStrokeWidthStrength * 0.5
            let strength = reach * (0.25 + 0.75 * rng.unitFloat())
            withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { scratch in
                guard let scratchBase = scratch.baseAddress else { return }
                AugmentStrokeWidth.apply(operation, strength: strength, width: width, height: height,
                                         image: target, scratch: scratchBase)
            }
        }
    }

    /// Convenience for one-off use (previews, tests); training should use the buffer version.
    public func augment(_ image: GrayImage, using rng: inout some RandomNumberGenerator) -> GrayImage {
        guard image.width > 0, image.height > 0 else { return image }
        var output = [Float](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                augment(src, into: dst, width: image.width, height: image.height, using: &rng)
            }
        }
        return GrayImage(width: image.width, height: image.height, pixels: output)
    }

    /// Draws the affine parameters and returns their inverse (the map from output to source).
    private func makeWarp(width: Int, height: Int, using rng: inout some RandomNumberGenerator) -> AugmentWarp {
        let angle = rng.symmetric(maxRotationDegrees) * .pi / 180
        let scale = rng.uniform(scaleRange)
        let aspect = 1 + rng.symmetric(maxAspectJitter)
        let shear = rng.symmetric(maxShear)
        let shiftX = rng.symmetric(maxShift)
        let shiftY = rng.symmetric(maxShift)

        return AugmentWarp(angle: angle, scale: scale, aspect: aspect, shear: shear,
                           shiftX: shiftX, shiftY: shiftY, width: width, height: height)
    }
}
