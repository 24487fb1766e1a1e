/// Stroke-width measurement and thickening, so thin-pen pictures look like MNIST's pen strokes.
enum PictureStroke {
    /// Mean stroke width in pixels: for a stroke of width w and length L, ink area is w*L and the
    /// pixels on its outline number about 2L, so w ~ 2 * area / outline. Nil when there is no ink.
    static func estimateWidth(_ pixels: [Float], width: Int, height: Int, level: Float = 0.5) -> Float? {
        var area = 0, outline = 0
        pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                for x in 0..<width where p[y * width + x] >= level {
                    area += 1
                    let i = y * width + x
                    if x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || p[i - 1] < level || p[i + 1] < level || p[i - width] < level || p[i + width] < level {
                        outline += 1
                    }
                }
            }
        }
        guard outline > 0 else { return nil }
        return 2 * Float(area) / Float(outline)
    }

    /// Grayscale dilation by `radius` pixels with a near-round footprint: alternating 3x3 cross
    /// and 3x3 square steps grow an octagon, which thickens curves evenly in every direction.
    static func thicken(_ pixels: inout [Float], width: Int, height: Int, radius: Int) {
        guard radius > 0, width > 0, height > 0 else { return }
        var scratch = pixels
        for step in 0..<radius {
            let square = step % 2 == 1
            swap(&pixels, &scratch)
            scratch.withUnsafeBufferPointer { src in
                pixels.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<height {
                        for x in 0..<width {
                            var m: Float = 0
                            for dy in -1...1 {
                                let yy = y + dy
                                if yy < 0 || yy >= height { continue }
                                for dx in -1...1 where square || dx == 0 || dy == 0 {
                                    let xx = x + dx
                                    if xx >= 0, xx < width { m = max(m, src[yy * width + xx]) }
                                }
                            }
                            dst[y * width + x] = m
                        }
                    }
                }
            }
        }
    }
}
