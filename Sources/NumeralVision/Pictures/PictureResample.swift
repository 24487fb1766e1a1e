/// Resizing and sub-pixel placement of ink images.
enum PictureResample {
    /// For each output sample along one axis: the first source index and the weights from there on.
    struct AxisWeights {
        var starts: [Int]
        var weights: [[Float]]
    }

    /// Area averaging (box filter) when shrinking, so thin strokes keep their share of ink
    /// instead of aliasing away; bilinear when enlarging, so blocky bitmaps come out smooth.
    static func axisWeights(from inCount: Int, to outCount: Int) -> AxisWeights {
        var starts = [Int](repeating: 0, count: outCount)
        var weights = [[Float]](repeating: [], count: outCount)
        let ratio = Double(inCount) / Double(outCount)
        for o in 0..<outCount {
            if ratio > 1 {
                let lo = Double(o) * ratio, hi = Double(o + 1) * ratio
                let first = Int(lo), last = min(inCount - 1, Int((hi - 1e-9).rounded(.down)))
                starts[o] = first
                weights[o] = (first...max(first, last)).map { i in
                    Float((min(hi, Double(i + 1)) - max(lo, Double(i))) / ratio)
                }
            } else {
                let center = (Double(o) + 0.5) * ratio - 0.5
                let clamped = min(max(center, 0), Double(inCount - 1))
                let first = min(Int(clamped), max(0, inCount - 2))
                let t = Float(clamped - Double(first))
                starts[o] = first
                weights[o] = inCount > 1 ? [1 - t, t] : [1]
            }
        }
        return AxisWeights(starts: starts, weights: weights)
    }

    /// Resizes a `width x height` region of `image` starting at (`x0`, `y0`) to `outWidth x outHeight`.
    static func resize(_ image: GrayImage, x0: Int, y0: Int, width: Int, height: Int,
                       outWidth: Int, outHeight: Int) -> [Float] {
        let horizontal = axisWeights(from: width, to: outWidth)
        let vertical = axisWeights(from: height, to: outHeight)
        // Horizontal pass over the region's rows, then vertical pass over the narrow result.
        var rows = [Float](repeating: 0, count: outWidth * height)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let row = (y0 + y) * image.width + x0
                for o in 0..<outWidth {
                    var sum: Float = 0
                    let start = row + horizontal.starts[o]
                    for (k, w) in horizontal.weights[o].enumerated() { sum += w * src[start + k] }
                    rows[y * outWidth + o] = sum
                }
            }
        }
        var out = [Float](repeating: 0, count: outWidth * outHeight)
        for o in 0..<outHeight {
            let start = vertical.starts[o]
            for (k, w) in vertical.weights[o].enumerated() {
                let row = (start + k) * outWidth
                for x in 0..<outWidth { out[o * outWidth + x] += w * rows[row + x] }
            }
        }
        return out
    }

    /// Draws `pixels` (`width x height`) into a `side x side` canvas so that its centre of mass
    /// lands on (`targetX`, `targetY`), shifting by a fraction of a pixel with bilinear weights.
    static func place(_ pixels: [Float], width: Int, height: Int, side: Int,
                      targetX: Float, targetY: Float) -> [Float] {
        var mass: Float = 0, sx: Float = 0, sy: Float = 0
        for y in 0..<height {
            for x in 0..<width {
                let v = pixels[y * width + x]
                mass += v; sx += v * Float(x); sy += v * Float(y)
            }
        }
        let cx = mass > 0 ? sx / mass : Float(width - 1) / 2
        let cy = mass > 0 ? sy / mass : Float(height - 1) / 2
        let offsetX = targetX - cx, offsetY = targetY - cy
        let baseX = offsetX.rounded(.down), baseY = offsetY.rounded(.down)
        let fx = offsetX - baseX, fy = offsetY - baseY
        let ix = Int(baseX), iy = Int(baseY)
        // Splat each source pixel onto the four canvas pixels it overlaps after the shift.
        var canvas = [Float](repeating: 0, count: side * side)
        let weights: [(dx: Int, dy: Int, w: Float)] = [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                                                       (0, 1, (1 - fx) * fy), (1, 1, fx * fy)]
        for y in 0..<height {
            for x in 0..<width {
                let v = pixels[y * width + x]
                if v == 0 { continue }
                for (dx, dy, w) in weights {
                    let cxi = x + ix + dx, cyi = y + iy + dy
                    if cxi >= 0, cyi >= 0, cxi < side, cyi < side { canvas[cyi * side + cxi] += w * v }
                }
            }
        }
        for i in canvas.indices { canvas[i] = min(1, canvas[i]) }
        return canvas
    }
}
