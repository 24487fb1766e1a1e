/// Grayscale morphology used to make strokes a little thicker or thinner.
///
/// A 3x3 cross (not a full square) is used because MNIST strokes are only 2-3 px wide: a square
/// dilation would bloat them far beyond anything a real pen produces. The result is blended with
/// the original by `strength` so the change in width is continuous rather than one whole pixel.
enum AugmentStrokeWidth {
    enum Operation { case thicken, thin }

    /// Applies the operation to `image` in place, using `scratch` (same size) as a copy of the input.
    static func apply(_ operation: Operation, strength: Float, width: Int, height: Int,
                      image: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let count = width * height
        scratch.update(from: image, count: count)
        let keep = 1 - strength
        let outside: Float = operation == .thicken ? 0 : 1  // neutral value beyond the border
        for y in 0..<height {
            let row = scratch + y * width
            let up = y > 0 ? row - width : nil
            let down = y + 1 < height ? row + width : nil
            for x in 0..<width {
                let center = row[x]
                let left = x > 0 ? row[x - 1] : outside
                let right = x + 1 < width ? row[x + 1] : outside
                let above = up?[x] ?? outside
                let below = down?[x] ?? outside
                let morphed: Float
                switch operation {
                case .thicken: morphed = max(max(max(center, left), max(right, above)), below)
                case .thin: morphed = min(min(min(center, left), min(right, above)), below)
                }
                image[y * width + x] = keep * center + strength * morphed
            }
        }
    }
}
