import Foundation

/// Maps drawing coordinates into output pixels: rotate about a pivot, scale, translate.
/// Coordinates are taken relative to a pivot inside the drawing before anything is multiplied,
/// so drawings far from the origin (1e6 or more) keep their sub-pixel precision.
struct StrokePlacement: Equatable, Sendable {
    var pivotX: Double
    var pivotY: Double
    var cosine: Double
    var sine: Double
    var scale: Double
    var translateX: Double
    var translateY: Double
    /// Extra scale of the rotated u (x) and v (y) axes: 1 keeps the aspect ratio; above 1 widens a
    /// very narrow digit (or heightens a very flat one) so its strokes stay apart.
    var stretchU: Double = 1
    var stretchV: Double = 1

    /// Rotated (not yet scaled) coordinates relative to the pivot.
    @inline(__always)
    func rotated(_ x: Double, _ y: Double) -> (u: Double, v: Double) {
        let dx = x - pivotX, dy = y - pivotY
        return (cosine * dx - sine * dy, sine * dx + cosine * dy)
    }

    @inline(__always)
    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let (u, v) = rotated(x, y)
        return (scale * stretchU * u + translateX, scale * stretchV * v + translateY)
    }

    /// Places the drawing so that, after rotating by `rotation` radians (clockwise on screen,
    /// y pointing down), the longer side of its centerline box spans `span` pixels and the box
    /// is centered on (`centerX`, `centerY`). A drawing with no extent (a dot) gets scale 0,
    /// so every point lands on the center.
    ///
    /// `aspectFloor` keeps extreme shapes readable: when the shorter side is less than
    /// `aspectFloor` times the longer one (ratio r), the shorter side is stretched to the geometric
    /// mean of r and the floor, `sqrt(r * aspectFloor)` of the longer side. A narrow "0" drawn
    /// 70 px wide and 380 px tall keeps an open hole at 20 px tall instead of closing into a bar,
    /// while a straight "1" (r near 0) stays a line. 0 turns it off.
    static func fitting(_ drawing: Drawing, bounds: DrawingBounds, rotation: Double,
                        span: Double, centerX: Double, centerY: Double,
                        aspectFloor: Double = 0) -> StrokePlacement {
        var placement = StrokePlacement(pivotX: bounds.centerX, pivotY: bounds.centerY,
                                        cosine: cos(rotation), sine: sin(rotation),
                                        scale: 0, translateX: centerX, translateY: centerY)
        var halfU = bounds.halfWidth, halfV = bounds.halfHeight
        var midU = 0.0, midV = 0.0
        if rotation != 0 {
            var minU = Double.infinity, maxU = -Double.infinity
            var minV = Double.infinity, maxV = -Double.infinity
            for stroke in drawing.strokes {
                for point in stroke.points {
                    let (u, v) = placement.rotated(point.x, point.y)
                    minU = min(minU, u); maxU = max(maxU, u)
                    minV = min(minV, v); maxV = max(maxV, v)
                }
            }
            halfU = maxU / 2 - minU / 2; halfV = maxV / 2 - minV / 2
            midU = minU / 2 + maxU / 2; midV = minV / 2 + maxV / 2
        }
        let half = max(halfU, halfV)
        // Extents at rounding-noise level of the coordinates' magnitude are a dot, not a stroke.
        let magnitude = max(abs(bounds.centerX), abs(bounds.centerY), 1)
        if half > magnitude * 1e-12 {
            let scale = max(span, 0) / (2 * half)
            if scale.isFinite {
                placement.scale = scale
                let ratio = min(halfU, halfV) / half
                if aspectFloor > 0, ratio > 0, ratio < aspectFloor {
                    let stretch = (aspectFloor / ratio).squareRoot()
                    if halfU < halfV { placement.stretchU = stretch } else { placement.stretchV = stretch }
                }
                placement.translateX = centerX - scale * placement.stretchU * midU
                placement.translateY = centerY - scale * placement.stretchV * midV
            }
        }
        return placement
    }
}
