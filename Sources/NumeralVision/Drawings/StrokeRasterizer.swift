/// Draws strokes as anti-aliased capsules (round pen, round joins) onto a square Float canvas.
/// Coverage falls off linearly over `softness` pixels around the pen edge, measured from each
/// pixel center to the nearest segment, which gives the soft gray rims MNIST digits have.
/// Overlapping segments take the maximum, so crossings do not darken beyond full ink.
struct StrokeRasterizer: Sendable {
    var radius: Double
    var softness: Double
    /// How much pressure (0...1, 0.5 neutral) widens or narrows the pen; 0 ignores pressure.
    var pressureInfluence: Double

    /// Renders into `canvas` (size*size, row-major, must be zeroed by the caller).
    func render(_ drawing: Drawing, placement: StrokePlacement, size: Int,
                into canvas: UnsafeMutableBufferPointer<Float>) {
        for stroke in drawing.strokes {
            let points = stroke.points
            guard let first = points.first else { continue }
            var (ax, ay) = placement.apply(first.x, first.y)
            var ar = radius(at: first)
            if points.count == 1 {
                drawSegment(ax, ay, ar, ax, ay, ar, size: size, canvas: canvas)
                continue
            }
            for index in 1..<points.count {
                let point = points[index]
                let (bx, by) = placement.apply(point.x, point.y)
                let br = radius(at: point)
                drawSegment(ax, ay, ar, bx, by, br, size: size, canvas: canvas)
                ax = bx; ay = by; ar = br
            }
        }
    }

    @inline(__always)
    private func radius(at point: StrokePoint) -> Double {
        guard pressureInfluence != 0, let pressure = point.pressure, pressure.isFinite else { return radius }
        let clamped = min(max(pressure, 0), 1)
        return radius * max(0.25, 1 + pressureInfluence * (clamped - 0.5) * 2)
    }

    /// A capsule whose radius varies linearly from `ar` at A to `br` at B.
    @inline(__always)
    private func drawSegment(_ ax: Double, _ ay: Double, _ ar: Double,
                             _ bx: Double, _ by: Double, _ br: Double,
                             size: Int, canvas: UnsafeMutableBufferPointer<Float>) {
        let halfSoft = softness / 2
        let reach = max(ar, br) + halfSoft
        let limit = Double(size)
        // Pixel i covers [i, i+1) and is sampled at its center i + 0.5. Clamp before converting
        // to Int so far-off geometry can never trap.
        let x0 = Int(min(max((min(ax, bx) - reach - 0.5).rounded(.up), 0), limit))
        let x1 = Int(min(max((max(ax, bx) + reach - 0.5).rounded(.down), -1), limit - 1))
        let y0 = Int(min(max((min(ay, by) - reach - 0.5).rounded(.up), 0), limit))
        let y1 = Int(min(max((max(ay, by) + reach - 0.5).rounded(.down), -1), limit - 1))
        guard x0 <= x1, y0 <= y1 else { return }

        let ex = bx - ax, ey = by - ay
        let lengthSquared = ex * ex + ey * ey
        let inverseLengthSquared = lengthSquared > 0 ? 1 / lengthSquared : 0
        let reachSquared = reach * reach
        let inverseSoftness = softness > 0 ? 1 / softness : 1e9
        for y in y0...y1 {
            let py = Double(y) + 0.5 - ay
            let row = y * size
            for x in x0...x1 {
                let px = Double(x) + 0.5 - ax
                let t = min(max((px * ex + py * ey) * inverseLengthSquared, 0), 1)
                let dx = px - t * ex, dy = py - t * ey
                let distanceSquared = dx * dx + dy * dy
                if distanceSquared >= reachSquared { continue }
                let r = ar + (br - ar) * t
                let coverage = Float(min(max((r - distanceSquared.squareRoot()) * inverseSoftness + 0.5, 0), 1))
                if coverage > canvas[row + x] { canvas[row + x] = coverage }
            }
        }
    }
}
