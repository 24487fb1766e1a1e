/// Flattens uneven illumination: estimates the paper's brightness everywhere and divides it out.
///
/// The estimate is a gray-level closing (dilate then erode) of per-block maxima on a grid of
/// `block`-pixel cells: pen strokes are thinner than a block, so every block holds some paper
/// and its maximum is paper; the closing fills the few blocks a thick stroke covers entirely,
/// while large features (a shadow, the desk) keep their own level, so their edges stay sharp
/// instead of bleeding into the paper next to them. The grid is then smoothed and interpolated
/// back to full size.
enum PhotoBackground {
    /// Darkness relative to the local paper (0 = as bright as the paper, 1 = black), and the
    /// paper's estimated brightness, per pixel.
    static func darkness(_ lum: GrayImage, block: Int, radius: Int) -> (darkness: [Float], paper: [Float]) {
        let width = lum.width, height = lum.height
        let gw = (width + block - 1) / block, gh = (height + block - 1) / block
        var grid = [Float](repeating: 0, count: gw * gh)
        lum.pixels.withUnsafeBufferPointer { px in
            grid.withUnsafeMutableBufferPointer { g in
                for y in 0..<height {
                    let row = (y / block) * gw
                    let line = y * width
                    for cell in 0..<gw {
                        var m = g[row + cell]
                        for x in (cell * block)..<min(width, (cell + 1) * block) { m = max(m, px[line + x]) }
                        g[row + cell] = m
                    }
                }
            }
        }
        grid = filter(grid, width: gw, height: gh, radius: radius, pick: max)
        grid = filter(grid, width: gw, height: gh, radius: radius, pick: min)
        grid = boxBlur(grid, width: gw, height: gh)
        // Bilinear interpolation between cell centres, then division.
        var out = [Float](repeating: 0, count: width * height)
        var paperOut = [Float](repeating: 0, count: width * height)
        let scale = 1 / Float(block)
        var x0s = [Int](repeating: 0, count: width), fxs = [Float](repeating: 0, count: width)
        for x in 0..<width {
            let gx = min(max((Float(x) + 0.5) * scale - 0.5, 0), Float(gw - 1))
            x0s[x] = min(Int(gx), max(0, gw - 2))
            fxs[x] = gw > 1 ? gx - Float(x0s[x]) : 0
        }
        lum.pixels.withUnsafeBufferPointer { px in
            grid.withUnsafeBufferPointer { g in
                out.withUnsafeMutableBufferPointer { o in paperOut.withUnsafeMutableBufferPointer { p in
                    // Each row first blends the two grid rows around it (gw values), then every
                    // pixel blends the two columns around it.
                    var column = [Float](repeating: 0, count: gw)
                    x0s.withUnsafeBufferPointer { x0p in fxs.withUnsafeBufferPointer { fxp in
                        column.withUnsafeMutableBufferPointer { c in
                            for y in 0..<height {
                                let gy = min(max((Float(y) + 0.5) * scale - 0.5, 0), Float(gh - 1))
                                let y0 = min(Int(gy), max(0, gh - 2)), y1 = min(y0 + 1, gh - 1)
                                let fy = gh > 1 ? gy - Float(y0) : 0
                                for i in 0..<gw { c[i] = g[y0 * gw + i] * (1 - fy) + g[y1 * gw + i] * fy }
                                let line = y * width
                                for x in 0..<width {
                                    let x0 = x0p[x], x1 = min(x0 + 1, gw - 1), fx = fxp[x]
                                    let paper = max(c[x0] * (1 - fx) + c[x1] * fx, 1e-3)
                                    o[line + x] = min(1, max(0, 1 - px[line + x] / paper))
                                    p[line + x] = paper
                                }
                            }
                        }
                    } }
                } }
            }
        }
        return (out, paperOut)
    }

    /// A square max or min filter of the given radius (separable).
    private static func filter(_ values: [Float], width: Int, height: Int, radius: Int,
                               pick: (Float, Float) -> Float) -> [Float] {
        var rows = values
        for y in 0..<height {
            for x in 0..<width {
                var v = values[y * width + x]
                for dx in max(0, x - radius)...min(width - 1, x + radius) { v = pick(v, values[y * width + dx]) }
                rows[y * width + x] = v
            }
        }
        var out = rows
        for y in 0..<height {
            for x in 0..<width {
                var v = rows[y * width + x]
                for dy in max(0, y - radius)...min(height - 1, y + radius) { v = pick(v, rows[dy * width + x]) }
                out[y * width + x] = v
            }
        }
        return out
    }

    /// 3×3 mean, edges averaging what they have.
    private static func boxBlur(_ values: [Float], width: Int, height: Int) -> [Float] {
        var out = values
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0, n: Float = 0
                for dy in max(0, y - 1)...min(height - 1, y + 1) {
                    for dx in max(0, x - 1)...min(width - 1, x + 1) { sum += values[dy * width + dx]; n += 1 }
                }
                out[y * width + x] = sum / n
            }
        }
        return out
    }
}
