import NumeralUI

/// Drawing primitives over a `Renderer` in layout points: converts to output pixels with
/// `scale` (HiDPI), draws anti-aliased rounded rectangles from cached circle textures, and text.
final class Painter {
    enum Align { case left, center, right }

    let renderer: Renderer
    let fonts: FontBook
    var scale: Double = 1
    private var circles: [Int: Texture] = [:]

    init(renderer: Renderer) throws {
        self.renderer = renderer
        fonts = try FontBook()
    }

    /// A rectangle snapped to whole output pixels; edges are rounded separately so adjacent
    /// rectangles share edges exactly.
    func pixelRect(_ r: UIRect) -> PixelRect {
        let x0 = Int32((r.minX * scale).rounded()), y0 = Int32((r.minY * scale).rounded())
        let x1 = Int32((r.maxX * scale).rounded()), y1 = Int32((r.maxY * scale).rounded())
        return PixelRect(x: x0, y: y0, w: max(0, x1 - x0), h: max(0, y1 - y0))
    }

    func clear(_ c: RGBA) {
        renderer.setColor(c)
        renderer.clear()
    }

    func fill(_ r: UIRect, _ c: RGBA) { fillPixels(pixelRect(r), c) }

    func fillPixels(_ p: PixelRect, _ c: RGBA) {
        guard p.w > 0, p.h > 0 else { return }
        renderer.setColor(c)
        renderer.fill(p)
    }

    /// A filled rectangle with anti-aliased round corners of `radius` points.
    func fillRounded(_ r: UIRect, radius: Double, _ c: RGBA) {
        let p = pixelRect(r)
        guard p.w > 0, p.h > 0 else { return }
        let rr = Int32(min(Double(min(p.w, p.h)) / 2, (radius * scale).rounded()))
        guard rr >= 1, let circle = circleTexture(radius: Int(rr)) else {
            fillPixels(p, c)
            return
        }
        circle.tint(c)
        // Corners from the circle's quadrants, then three bands for the straight parts.
        let corners: [(Int32, Int32, Int32, Int32)] = [
            (0, 0, p.x, p.y), (rr, 0, p.x + p.w - rr, p.y),
            (0, rr, p.x, p.y + p.h - rr), (rr, rr, p.x + p.w - rr, p.y + p.h - rr),
        ]
        for (sx, sy, dx, dy) in corners {
            renderer.copy(circle, from: PixelRect(x: sx, y: sy, w: rr, h: rr), to: PixelRect(x: dx, y: dy, w: rr, h: rr))
        }
        fillPixels(PixelRect(x: p.x + rr, y: p.y, w: p.w - 2 * rr, h: p.h), c)
        fillPixels(PixelRect(x: p.x, y: p.y + rr, w: rr, h: p.h - 2 * rr), c)
        fillPixels(PixelRect(x: p.x + p.w - rr, y: p.y + rr, w: rr, h: p.h - 2 * rr), c)
    }

    /// A rounded card: a border of one output pixel around a fill.
    func card(_ r: UIRect, radius: Double, fill: RGBA, border: RGBA) {
        fillRounded(r, radius: radius, border)
        let inset = 1 / scale
        fillRounded(r.insetBy(dx: inset, dy: inset), radius: max(0, radius - inset), fill)
    }

    func line(from a: UIPoint, to b: UIPoint, _ c: RGBA) {
        renderer.setColor(c)
        renderer.line(Int32((a.x * scale).rounded()), Int32((a.y * scale).rounded()),
                      Int32((b.x * scale).rounded()), Int32((b.y * scale).rounded()))
    }

    /// Draws `texture` stretched over `r`.
    func copy(_ texture: Texture, to r: UIRect) { renderer.copy(texture, to: pixelRect(r)) }

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
        let p = pixelRect(r), w = Int32(t.width), h = Int32(t.height)
        let x: Int32
        switch align {
        case .left: x = p.x
        case .center: x = p.x + (p.w - w) / 2
        case .right: x = p.x + p.w - w
        }
        t.tint(color)
        renderer.copy(t, to: PixelRect(x: x, y: p.y + (p.h - h) / 2, w: w, h: h))
        return Double(t.width) / scale
    }

    /// A status-bar message cut to fit `r`: regular for information, bold in the palette's
    /// success or error color otherwise, as the drawing view, the dashboard and the camera view show it.
    func statusMessage(_ message: StatusMessage, in r: UIRect, size: Double, palette p: Palette) {
        let (color, weight): (RGBA, FontBook.Weight)
        switch message.kind {
        case .info: (color, weight) = (p.text, .regular)
        case .success: (color, weight) = (p.success, .bold)
        case .error: (color, weight) = (p.error, .bold)
        }
        text(fitting(message.text, width: r.width, size: size, weight: weight), in: r, size: size, weight: weight, color: color)
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

    private func circleTexture(radius: Int) -> Texture? {
        if let t = circles[radius] { return t }
        let side = radius * 2
        var mask = CoverageCanvas(width: side, height: side)
        mask.stampSegment(ax: Double(radius), ay: Double(radius), ra: Double(radius) - 0.5,
                          bx: Double(radius), by: Double(radius), rb: Double(radius) - 0.5)
        guard let t = try? renderer.makeTexture(width: side, height: side, style: .coverage) else { return nil }
        t.update(mask.pixels)
        circles[radius] = t
        return t
    }

    func endFrame() { fonts.endFrame() }
}
