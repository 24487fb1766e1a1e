/// The "box-stretched" scan: a digit whose ink box was stretched to fill a small square (aspect
/// ratio lost), averaged down to `side`×`side`, thresholded to black and white, then enlarged
/// again — the way some form and postal scanners store digits. Used to build validation pictures
/// (from MNIST digits the model never trained on) and degraded training copies.
public struct StretchedScan: Sendable, Equatable {
    /// Side of the square bitmap the ink box is stretched into.
    public var side: Int
    /// Averaged ink above this becomes black, the rest white.
    public var threshold: Float
    /// Ink above this counts when finding the digit's box.
    public var boxCutoff: Float

    public init(side: Int = 16, threshold: Float = 0.5, boxCutoff: Float = 0.2) {
        self.side = max(2, min(side, 256))
        self.threshold = threshold.isFinite ? threshold : 0.5
        self.boxCutoff = boxCutoff.isFinite ? boxCutoff : 0.2
    }

    /// The thresholded `side`×`side` bitmap of a digit image (ink = 1), row by row, or nil when
    /// the image holds no ink above `boxCutoff`.
    public func bitmap(of image: GrayImage) -> [Bool]? {
        var minX = image.width, minY = image.height, maxX = -1, maxY = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image.pixels[y * image.width + x] > boxCutoff {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= minX, maxY >= minY else { return nil }
        let boxWidth = Float(maxX - minX + 1), boxHeight = Float(maxY - minY + 1)
        // Each output pixel averages the box area it covers, sampled 4×4 times bilinearly, so a
        // narrow box is stretched smoothly and a wide one averaged down.
        let samples = 4
        var bits = [Bool](repeating: false, count: side * side)
        for oy in 0..<side {
            for ox in 0..<side {
                var sum: Float = 0
                for sy in 0..<samples {
                    let v = (Float(oy) + (Float(sy) + 0.5) / Float(samples)) / Float(side) * boxHeight + Float(minY) - 0.5
                    for sx in 0..<samples {
                        let u = (Float(ox) + (Float(sx) + 0.5) / Float(samples)) / Float(side) * boxWidth + Float(minX) - 0.5
                        sum += Self.bilinear(image, u, v)
                    }
                }
                bits[oy * side + ox] = sum / Float(samples * samples) > threshold
            }
        }
        return bits
    }

    /// The bitmap with every stroke one pixel thicker: a pixel becomes ink when it or one of its
    /// four neighbours is ink (the thick strokes of scanners that bleed or of broad pens).
    public func thickened(_ bits: [Bool]) -> [Bool] {
        guard bits.count == side * side else { return bits }
        var out = bits
        for y in 0..<side {
            for x in 0..<side where !bits[y * side + x] {
                out[y * side + x] = (x > 0 && bits[y * side + x - 1]) || (x + 1 < side && bits[y * side + x + 1])
                    || (y > 0 && bits[(y - 1) * side + x]) || (y + 1 < side && bits[(y + 1) * side + x])
            }
        }
        return out
    }

    /// The bitmap enlarged `scale` times (nearest neighbour: blocky, as scanners enlarge; or
    /// bilinear: soft edges) inside `margin` pixels of paper, as an ink image (ink = 1).
    public func enlarged(_ bits: [Bool], scale: Int, margin: Int, smooth: Bool = false) -> GrayImage {
        let scale = max(1, scale), margin = max(0, margin)
        let inner = side * scale, outer = inner + 2 * margin
        var pixels = [Float](repeating: 0, count: outer * outer)
        for y in 0..<inner {
            for x in 0..<inner {
                let value: Float
                if smooth {
                    let u = (Float(x) + 0.5) / Float(scale) - 0.5, v = (Float(y) + 0.5) / Float(scale) - 0.5
                    value = bitBilinear(bits, u, v)
                } else {
                    value = bits[(y / scale) * side + x / scale] ? 1 : 0
                }
                pixels[(y + margin) * outer + x + margin] = value
            }
        }
        return GrayImage(width: outer, height: outer, pixels: pixels)
    }

    /// An ink image as an RGBA picture: dark ink on white paper, or light on dark when `inverted`.
    public static func picture(_ ink: GrayImage, inverted: Bool = false) -> DecodedImage {
        var rgba = [UInt8](repeating: 255, count: ink.width * ink.height * 4)
        for (i, value) in ink.pixels.enumerated() {
            let level = UInt8((min(1, max(0, inverted ? value : 1 - value)) * 255).rounded())
            rgba[i * 4] = level; rgba[i * 4 + 1] = level; rgba[i * 4 + 2] = level
        }
        return DecodedImage(trustedWidth: ink.width, height: ink.height, rgba: rgba)
    }

    private static func bilinear(_ image: GrayImage, _ u: Float, _ v: Float) -> Float {
        let x0 = Int(u.rounded(.down)), y0 = Int(v.rounded(.down))
        let fx = u - Float(x0), fy = v - Float(y0)
        func at(_ x: Int, _ y: Int) -> Float {
            guard x >= 0, y >= 0, x < image.width, y < image.height else { return 0 }
            return image.pixels[y * image.width + x]
        }
        return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy)
            + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    }

    private func bitBilinear(_ bits: [Bool], _ u: Float, _ v: Float) -> Float {
        let u = min(max(u, 0), Float(side - 1)), v = min(max(v, 0), Float(side - 1))
        let x0 = Int(u), y0 = Int(v)
        let x1 = min(x0 + 1, side - 1), y1 = min(y0 + 1, side - 1)
        let fx = u - Float(x0), fy = v - Float(y0)
        func at(_ x: Int, _ y: Int) -> Float { bits[y * side + x] ? 1 : 0 }
        return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
    }
}
