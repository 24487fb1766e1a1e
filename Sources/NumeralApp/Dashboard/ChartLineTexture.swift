import NumeralUI

/// Anti-aliased chart lines and dots: rasterized with the ink layer's coverage stamping into
/// a texture over the chart's rectangle, tinted at draw time. Rasterizes again only when the
/// points, the size or the line width change, so hovering the dashboard redraws for free.
final class ChartLineTexture {
    private struct Key: Equatable {
        let runs: [[UIPoint]]
        let rect: PixelRect
        let lineWidth: Double
        let dotRadius: Double
    }

    private let cache = CachedTexture<Key>(.coverage)

    /// Draws `runs` (each a polyline, in window points) clipped to `rect`. `lineWidth` and
    /// `dotRadius` are in points; a dot is stamped on every point when `dotRadius` > 0.
    func draw(_ runs: [[UIPoint]], in rect: UIRect, lineWidth: Double, dotRadius: Double, color: RGBA, painter: Painter) {
        // Room for the line's caps and dots that sit exactly on the rectangle's edge.
        let margin = max(lineWidth, dotRadius * 2) + 2
        let pixels = painter.pixelRect(rect.insetBy(dx: -margin, dy: -margin))
        guard pixels.w > 0, pixels.h > 0, !runs.isEmpty else { return }
        let key = Key(runs: runs, rect: pixels, lineWidth: lineWidth, dotRadius: dotRadius)
        let upload = { (texture: Texture) in
            texture.update(Self.rasterize(runs, origin: pixels, scale: painter.scale, lineWidth: lineWidth, dotRadius: dotRadius).pixels)
        }
        guard let texture = try? cache.texture(for: key, width: Int(pixels.w), height: Int(pixels.h),
                                               renderer: painter.renderer, upload: upload) else { return }
        texture.tint(color)
        painter.renderer.copy(texture, to: pixels)
    }

    private static func rasterize(_ runs: [[UIPoint]], origin: PixelRect, scale: Double, lineWidth: Double,
                                  dotRadius: Double) -> CoverageCanvas {
        var canvas = CoverageCanvas(width: Int(origin.w), height: Int(origin.h))
        let radius = max(0.5, lineWidth * scale / 2)
        func local(_ p: UIPoint) -> (Double, Double) {
            (p.x * scale - Double(origin.x), p.y * scale - Double(origin.y))
        }
        for run in runs {
            for (a, b) in zip(run, run.dropFirst()) {
                let (ax, ay) = local(a), (bx, by) = local(b)
                canvas.stampSegment(ax: ax, ay: ay, ra: radius, bx: bx, by: by, rb: radius)
            }
            if run.count == 1 || dotRadius > 0 {
                let r = max(radius, dotRadius * scale)
                for p in run {
                    let (x, y) = local(p)
                    canvas.stampSegment(ax: x, ay: y, ra: r, bx: x, by: y, rb: r)
                }
            }
        }
        return canvas
    }
}
