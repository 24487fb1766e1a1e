import CSDL2
import NumeralUI

/// Anti-aliased chart lines and dots: rasterized with the ink layer's coverage stamping into
/// a texture over the chart's rectangle, tinted at draw time. Rasterizes again only when the
/// points, the size or the line width change, so hovering the dashboard redraws for free.
final class ChartLineTexture {
    private struct Key: Equatable {
        let runs: [[UIPoint]]
        let rect: SDL_Rect
        let lineWidth: Double
        let dotRadius: Double

        static func == (a: Key, b: Key) -> Bool {
            a.runs == b.runs && a.rect.x == b.rect.x && a.rect.y == b.rect.y && a.rect.w == b.rect.w
                && a.rect.h == b.rect.h && a.lineWidth == b.lineWidth && a.dotRadius == b.dotRadius
        }
    }

    private var texture: OpaquePointer?
    private var key: Key?

    deinit { if let texture { SDL_DestroyTexture(texture) } }

    /// Draws `runs` (each a polyline, in window points) clipped to `rect`. `lineWidth` and
    /// `dotRadius` are in points; a dot is stamped on every point when `dotRadius` > 0.
    func draw(_ runs: [[UIPoint]], in rect: UIRect, lineWidth: Double, dotRadius: Double, color: RGBA, painter: Painter) {
        // Room for the line's caps and dots that sit exactly on the rectangle's edge.
        let margin = max(lineWidth, dotRadius * 2) + 2
        let area = rect.insetBy(dx: -margin, dy: -margin)
        let pixels = painter.pixelRect(area)
        guard pixels.w > 0, pixels.h > 0, !runs.isEmpty else { return }
        let newKey = Key(runs: runs, rect: pixels, lineWidth: lineWidth, dotRadius: dotRadius)
        if key != newKey || texture == nil {
            rasterize(runs, origin: pixels, scale: painter.scale, lineWidth: lineWidth, dotRadius: dotRadius,
                      renderer: painter.renderer)
            key = newKey
        }
        guard let texture else { return }
        SDL_SetTextureColorMod(texture, color.r, color.g, color.b)
        SDL_SetTextureAlphaMod(texture, color.a)
        painter.copy(texture, toPixels: pixels)
    }

    private func rasterize(_ runs: [[UIPoint]], origin: SDL_Rect, scale: Double, lineWidth: Double, dotRadius: Double,
                           renderer: OpaquePointer) {
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
        let width = Int32(canvas.width), height = Int32(canvas.height)
        if let existing = texture {
            var w: Int32 = 0, h: Int32 = 0
            SDL_QueryTexture(existing, nil, nil, &w, &h)
            if w != width || h != height {
                SDL_DestroyTexture(existing)
                texture = nil
            }
        }
        if texture == nil {
            texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888.rawValue,
                                        Int32(SDL_TEXTUREACCESS_STATIC.rawValue), width, height)
            if let texture { SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND) }
        }
        guard let texture else { return }
        canvas.pixels.withUnsafeBytes { raw in
            _ = SDL_UpdateTexture(texture, nil, raw.baseAddress, width * 4)
        }
    }
}
