import NumeralVision

/// Measurements the vision tests compare images with.
enum ImageMetrics {
    static func mass(_ image: GrayImage) -> Float { image.pixels.reduce(0, +) }

    static func centerOfMass(_ image: GrayImage) -> (x: Float, y: Float) {
        var sx: Float = 0, sy: Float = 0, total: Float = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let v = image[x, y]
                sx += v * Float(x); sy += v * Float(y); total += v
            }
        }
        return total > 0 ? (sx / total, sy / total) : (Float(image.width - 1) / 2, Float(image.height - 1) / 2)
    }

    /// Pearson correlation of two equally sized images.
    static func correlation(_ a: GrayImage, _ b: GrayImage) -> Float {
        guard a.pixels.count == b.pixels.count, !a.pixels.isEmpty else { return -1 }
        let n = Float(a.pixels.count)
        let ma = mass(a) / n, mb = mass(b) / n
        var cov: Float = 0, va: Float = 0, vb: Float = 0
        for i in a.pixels.indices {
            let da = a.pixels[i] - ma, db = b.pixels[i] - mb
            cov += da * db; va += da * da; vb += db * db
        }
        return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : 0
    }

    static func isValid(_ image: GrayImage) -> Bool { image.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 } }
}
