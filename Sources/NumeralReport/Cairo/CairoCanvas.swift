import CCairo
import Foundation

/// Cairo, wrapped once: a drawing surface that is either a PDF file (vector shapes, real text)
/// or an in-memory picture. Coordinates are in points for PDFs and pixels for pictures, y down.
///
/// Every piece of text goes through `text(_:in:)`, which measures it with the font's real extents
/// and shrinks, then shortens it until it fits its box; the boxes and what was drawn are kept in
/// `placedText`, so tests can check that no text leaves its box or the page.
public final class CairoCanvas {
    public let width: Double
    public let height: Double
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let path: String?
    private var finished = false
    /// Every text drawn: the string as drawn, its box, and the extent it actually took.
    public private(set) var placedText: [PlacedText] = []

    public struct PlacedText: Equatable, Sendable {
        public var text: String
        public var box: Rect
        public var extent: Rect
        public var page: Int
    }

    public struct Rect: Equatable, Sendable {
        public var x, y, width, height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
        public func inset(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: max(0, width - 2 * d), height: max(0, height - 2 * d)) }
        public func contains(_ r: Rect, tolerance: Double = 0.5) -> Bool {
            r.x >= x - tolerance && r.y >= y - tolerance && r.maxX <= maxX + tolerance && r.maxY <= maxY + tolerance
        }
    }

    public struct Color: Equatable, Sendable {
        public var r, g, b, a: Double
        public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }
        public static let black = Color(0, 0, 0), white = Color(1, 1, 1)
        public static func gray(_ v: Double) -> Color { Color(v, v, v) }
    }

    public enum Align: Sendable { case left, center, right }

    public private(set) var page = 1

    private init(surface: OpaquePointer, width: Double, height: Double, path: String?) throws {
        self.surface = surface
        self.width = width
        self.height = height
        self.path = path
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let cr = cairo_create(surface) else {
            let reason = String(cString: cairo_status_to_string(cairo_surface_status(surface)))
            cairo_surface_destroy(surface)
            throw ReportError.cannotDraw(path: path, reason: reason)
        }
        self.cr = cr
    }

    /// A PDF file of pages `width`×`height` points (1/72 inch).
    public static func pdf(path: String, width: Double, height: Double) throws -> CairoCanvas {
        guard let s = cairo_pdf_surface_create(path, width, height) else {
            throw ReportError.cannotDraw(path: path, reason: "cairo could not create the PDF surface")
        }
        return try CairoCanvas(surface: s, width: width, height: height, path: path)
    }

    /// A picture of `width`×`height` pixels, white.
    public static func image(width: Int, height: Int) throws -> CairoCanvas {
        guard width > 0, height > 0, let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw ReportError.cannotDraw(path: nil, reason: "a \(width)×\(height) picture cannot be made")
        }
        let c = try CairoCanvas(surface: s, width: Double(width), height: Double(height), path: nil)
        c.fill(Rect(x: 0, y: 0, width: Double(width), height: Double(height)), .white)
        return c
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Draws everything after this at `factor` times its size (pictures at a pixel scale).
    public func scale(_ factor: Double) {
        cairo_scale(cr, factor, factor)
    }

    // MARK: shapes

    public func fill(_ r: Rect, _ color: Color) {
        set(color)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_fill(cr)
    }

    public func stroke(_ r: Rect, _ color: Color, lineWidth: Double = 1) {
        set(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_stroke(cr)
    }

    public func polyline(_ points: [(Double, Double)], _ color: Color, lineWidth: Double = 1.5, dashed: Bool = false) {
        guard let first = points.first else { return }
        set(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        if dashed {
            var dashes: [Double] = [4, 3]
            cairo_set_dash(cr, &dashes, 2, 0)
        }
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_stroke(cr)
        if dashed { cairo_set_dash(cr, nil, 0, 0) }
    }

    public func circle(x: Double, y: Double, radius: Double, _ color: Color) {
        set(color)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, radius, 0, 2 * .pi)
        cairo_fill(cr)
    }

    /// A raster of `columns`×`rows` cells colored by `color(index)`, drawn as vector squares
    /// (crisp at any zoom, no image smoothing).
    public func cells(columns: Int, rows: Int, in r: Rect, color: (Int) -> Color) {
        let cw = r.width / Double(columns), ch = r.height / Double(rows)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
        for y in 0..<rows {
            for x in 0..<columns {
                set(color(y * columns + x))
                // A hair of overlap so neighbouring cells leave no seams in PDF viewers.
                cairo_rectangle(cr, r.x + Double(x) * cw, r.y + Double(y) * ch, cw + 0.05, ch + 0.05)
                cairo_fill(cr)
            }
        }
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT)
    }

    // MARK: text

    /// The width `text` takes at `size`.
    public func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        selectFont(size: size, bold: bold)
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, text, &e)
        return e.x_advance
    }

    /// Draws `text` on one line inside `box`, vertically centered, at `size` or smaller (down to
    /// `minSize`), shortened with "…" if even that is too wide. Returns the text as drawn.
    @discardableResult
    public func text(_ text: String, in box: Rect, size: Double, bold: Bool = false, color: Color = .black,
                     align: Align = .left, minSize: Double = 6) -> String {
        var size = min(size, box.height / 1.25)
        var shown = text
        while size > minSize && textWidth(shown, size: size, bold: bold) > box.width { size = max(minSize, size - 0.5) }
        while !shown.isEmpty && textWidth(shown, size: size, bold: bold) > box.width {
            shown = String(shown.dropLast(shown.hasSuffix("…") ? 2 : 1)) + "…"
            if shown == "…" { shown = ""; break }
        }
        guard !shown.isEmpty else { return "" }
        selectFont(size: size, bold: bold)
        var fe = cairo_font_extents_t()
        cairo_font_extents(cr, &fe)
        let w = textWidth(shown, size: size, bold: bold)
        let x: Double
        switch align {
        case .left: x = box.x
        case .center: x = box.x + (box.width - w) / 2
        case .right: x = box.maxX - w
        }
        let baseline = box.y + (box.height - (fe.ascent + fe.descent)) / 2 + fe.ascent
        set(color)
        cairo_move_to(cr, x, baseline)
        cairo_show_text(cr, shown)
        placedText.append(PlacedText(text: shown, box: box,
                                     extent: Rect(x: x, y: baseline - fe.ascent, width: w, height: fe.ascent + fe.descent),
                                     page: page))
        return shown
    }

    private func selectFont(size: Double, bold: Bool) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    private func set(_ c: Color) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }

    // MARK: output

    /// Ends the page and starts another (PDF).
    public func newPage() {
        cairo_show_page(cr)
        page += 1
    }

    /// Writes out the PDF (or flushes the picture) and reports any error Cairo met on the way.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        cairo_surface_flush(surface)
        if path != nil { cairo_surface_finish(surface) }
        let status = cairo_status(cr) != CAIRO_STATUS_SUCCESS ? cairo_status(cr) : cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw ReportError.cannotDraw(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
    }

    /// The picture's pixels as RGBA (pictures only).
    public func rgba() -> [UInt8] {
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return [] }
        var out = [UInt8](repeating: 255, count: w * h * 4)
        for y in 0..<h {
            let row = data + y * stride
            for x in 0..<w {
                // ARGB32 is a native-endian 32-bit word: B, G, R, A in memory on little-endian machines.
                let p = row + x * 4
                let a = Int(p[3])
                func unpremultiply(_ v: UInt8) -> UInt8 { a == 0 ? 255 : UInt8(min(255, Int(v) * 255 / a)) }
                let o = (y * w + x) * 4
                out[o] = unpremultiply(p[2]); out[o + 1] = unpremultiply(p[1]); out[o + 2] = unpremultiply(p[0]); out[o + 3] = 255
            }
        }
        return out
    }
}
