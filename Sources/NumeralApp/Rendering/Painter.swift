import CSDL2
import NumeralUI

/// Drawing primitives over an SDL_Renderer in layout points: converts to output pixels with
/// `scale` (HiDPI), draws anti-aliased rounded rectangles from cached circle textures, and text.
final class Painter {
    enum Align { case left, center, right }

    let renderer: OpaquePointer
    let fonts: FontBook
    var scale: Double = 1
    private var circles: [Int: OpaquePointer] = [:]

    init(renderer: OpaquePointer, fonts: FontBook) {
        self.renderer = renderer
        self.fonts = fonts
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND)
    }

    deinit { for t in circles.values { SDL_DestroyTexture(t) } }

    /// A rectangle snapped to whole output pixels; edges are rounded separately so adjacent
    /// rectangles share edges exactly.
    func pixelRect(_ r: UIRect) -> SDL_Rect {
        let x0 = Int32((r.minX * scale).rounded()), y0 = Int32((r.minY * scale).rounded())
        let x1 = Int32((r.maxX * scale).rounded()), y1 = Int32((r.maxY * scale).rounded())
        return SDL_Rect(x: x0, y: y0, w: max(0, x1 - x0), h: max(0, y1 - y0))
    }

    /// Opaque colors are drawn without blending: SDL's software renderer blends every pixel
    /// otherwise, which made full-card fills the most expensive part of a frame.
    func setColor(_ c: RGBA) {
        SDL_SetRenderDrawBlendMode(renderer, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
        SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a)
    }

    func clear(_ c: RGBA) {
        setColor(c)
        SDL_RenderClear(renderer)
    }

    func fill(_ r: UIRect, _ c: RGBA) {
        var p = pixelRect(r)
        fillPixels(&p, c)
    }

    private func fillPixels(_ p: inout SDL_Rect, _ c: RGBA) {
        guard p.w > 0, p.h > 0 else { return }
        setColor(c)
        SDL_RenderFillRect(renderer, &p)
    }

    /// A filled rectangle with anti-aliased round corners of `radius` points.
    func fillRounded(_ r: UIRect, radius: Double, _ c: RGBA) {
        let p = pixelRect(r)
        guard p.w > 0, p.h > 0 else { return }
        let rr = Int32(min(Double(min(p.w, p.h)) / 2, (radius * scale).rounded()))
        guard rr >= 1, let circle = circleTexture(radius: Int(rr)) else {
            var q = p
            fillPixels(&q, c)
            return
        }
        SDL_SetTextureColorMod(circle, c.r, c.g, c.b)
        SDL_SetTextureAlphaMod(circle, c.a)
        // Corners from the circle's quadrants, then three bands for the straight parts.
        let corners: [(Int32, Int32, Int32, Int32)] = [
            (0, 0, p.x, p.y), (rr, 0, p.x + p.w - rr, p.y),
            (0, rr, p.x, p.y + p.h - rr), (rr, rr, p.x + p.w - rr, p.y + p.h - rr),
        ]
        for (sx, sy, dx, dy) in corners {
            var src = SDL_Rect(x: sx, y: sy, w: rr, h: rr)
            var dst = SDL_Rect(x: dx, y: dy, w: rr, h: rr)
            SDL_RenderCopy(renderer, circle, &src, &dst)
        }
        var middle = SDL_Rect(x: p.x + rr, y: p.y, w: p.w - 2 * rr, h: p.h)
        var left = SDL_Rect(x: p.x, y: p.y + rr, w: rr, h: p.h - 2 * rr)
        var right = SDL_Rect(x: p.x + p.w - rr, y: p.y + rr, w: rr, h: p.h - 2 * rr)
        fillPixels(&middle, c)
        fillPixels(&left, c)
        fillPixels(&right, c)
    }

    /// A rounded card: a border of one output pixel around a fill.
    func card(_ r: UIRect, radius: Double, fill: RGBA, border: RGBA) {
        fillRounded(r, radius: radius, border)
        let inset = 1 / scale
        fillRounded(r.insetBy(dx: inset, dy: inset), radius: max(0, radius - inset), fill)
    }

    func line(from a: UIPoint, to b: UIPoint, _ c: RGBA) {
        setColor(c)
        SDL_RenderDrawLine(renderer, Int32((a.x * scale).rounded()), Int32((a.y * scale).rounded()),
                           Int32((b.x * scale).rounded()), Int32((b.y * scale).rounded()))
    }

    /// Draws `texture` stretched over `r`.
    func copy(_ texture: OpaquePointer, to r: UIRect) {
        var dst = pixelRect(r)
        SDL_RenderCopy(renderer, texture, nil, &dst)
    }

    func copy(_ texture: OpaquePointer, toPixels dst: SDL_Rect) {
        var d = dst
        SDL_RenderCopy(renderer, texture, nil, &d)
    }

    /// Width of `text` in points at `size` points.
    func measure(_ text: String, size: Double, weight: FontBook.Weight = .regular) -> Double {
        guard let t = try? fonts.text(text, weight: weight, pixels: pixelSize(size), renderer: renderer) else { return 0 }
        return Double(t.width) / scale
    }

    /// Draws one line of text vertically centered in `r`, aligned horizontally within it.
    /// Returns the drawn width in points.
    @discardableResult
    func text(_ s: String, in r: UIRect, size: Double, weight: FontBook.Weight = .regular,
              color: RGBA, align: Align = .left) -> Double {
        guard let t = try? fonts.text(s, weight: weight, pixels: pixelSize(size), renderer: renderer) else { return 0 }
        let p = pixelRect(r)
        let x: Int32
        switch align {
        case .left: x = p.x
        case .center: x = p.x + (p.w - Int32(t.width)) / 2
        case .right: x = p.x + p.w - Int32(t.width)
        }
        var dst = SDL_Rect(x: x, y: p.y + (p.h - Int32(t.height)) / 2, w: Int32(t.width), h: Int32(t.height))
        SDL_SetTextureColorMod(t.texture, color.r, color.g, color.b)
        SDL_SetTextureAlphaMod(t.texture, color.a)
        SDL_RenderCopy(renderer, t.texture, nil, &dst)
        return Double(t.width) / scale
    }

    /// `text` shortened with an ellipsis so it fits `width` points; long error messages and
    /// file names must not run into neighboring text.
    func fitting(_ text: String, width: Double, size: Double, weight: FontBook.Weight = .regular) -> String {
        let limit = Int(width * scale)
        let pixels = pixelSize(size)
        guard fonts.width(of: text, weight: weight, pixels: pixels) > limit else { return text }
        let chars = Array(text)
        var low = 0, high = chars.count
        while low < high {
            let mid = (low + high + 1) / 2
            if fonts.width(of: String(chars[..<mid]) + "…", weight: weight, pixels: pixels) <= limit { low = mid } else { high = mid - 1 }
        }
        return String(chars[..<low]) + "…"
    }

    private func pixelSize(_ points: Double) -> Int { Int((points * scale).rounded()) }

    private func circleTexture(radius: Int) -> OpaquePointer? {
        if let t = circles[radius] { return t }
        let side = radius * 2
        var mask = CoverageCanvas(width: side, height: side)
        mask.stampSegment(ax: Double(radius), ay: Double(radius), ra: Double(radius) - 0.5,
                          bx: Double(radius), by: Double(radius), rb: Double(radius) - 0.5)
        guard let t = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888.rawValue,
                                        Int32(SDL_TEXTUREACCESS_STATIC.rawValue), Int32(side), Int32(side)) else {
            return nil
        }
        mask.pixels.withUnsafeBytes { raw in
            _ = SDL_UpdateTexture(t, nil, raw.baseAddress, Int32(side * 4))
        }
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND)
        circles[radius] = t
        return t
    }

    func endFrame() { fonts.endFrame() }
}
