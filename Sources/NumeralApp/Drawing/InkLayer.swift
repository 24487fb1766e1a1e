import NumeralUI
import NumeralVision

/// The canvas strokes as a texture at output-pixel resolution. Keeps what it has
/// already rasterized and, while the user draws, only stamps the new segments and uploads
/// the changed rectangle; everything is redrawn only after undo/clear/resize.
///
/// The texture holds the ink color itself (ARGB8888, coverage in alpha) rather than white tinted
/// by color mod: SDL's software renderer blends an untinted ARGB8888 texture onto the window
/// with its optimized alpha blitter, but falls back to a generic per-pixel loop for a tinted one,
/// which made the ink the most expensive part of every frame while drawing.
final class InkLayer {
    /// The texture and the part of it that has ink (texture pixels); only that part needs drawing.
    typealias Layer = (texture: Texture, inked: PixelRect)

    private var coverage = CoverageCanvas(width: 0, height: 0)
    private var texture: Texture?
    private var textureColor: RGBA?
    /// Union of everything stamped since the last clear, in pixels.
    private var inkBounds: PixelBox?
    /// Texture pixels that still show ink the coverage no longer has (cleared, undone).
    private var staleBounds: PixelBox?
    private var drawnEpoch = -1
    private var drawnMapping: CanvasMapping?
    private var drawnPixelScale = 0.0
    private var drawnRadius = 0.0
    /// Rasterized so far: all strokes before `cursorStroke`, and `cursorPoints` points of it.
    private var cursorStroke = 0
    private var cursorPoints = 0

    /// Brings the texture up to date with `state` in ink `color` and returns it, nil when there
    /// is no ink (or the canvas has no size).
    func texture(for state: AppState, pixelScale: Double, renderer: Renderer, color: RGBA) throws -> Layer? {
        let mapping = state.canvasMapping
        let pixelWidth = Int((state.layout.canvas.width * pixelScale).rounded())
        let pixelHeight = Int((state.layout.canvas.height * pixelScale).rounded())
        guard pixelWidth > 0, pixelHeight > 0 else { return nil }

        if pixelWidth != coverage.width || pixelHeight != coverage.height {
            coverage = CoverageCanvas(width: pixelWidth, height: pixelHeight)
            inkBounds = nil
            staleBounds = nil
            resetCursor()
        }
        if drawnEpoch != state.strokeEpoch || drawnMapping != mapping || drawnPixelScale != pixelScale
            || drawnRadius != state.settings.brushRadius {
            coverage.clear()
            // Only what had ink must be wiped from the texture, not the whole canvas.
            _ = coverage.takeDirtyRect()
            staleBounds = PixelBox.union(staleBounds, inkBounds)
            inkBounds = nil
            resetCursor()
            drawnEpoch = state.strokeEpoch
            drawnMapping = mapping
            drawnPixelScale = pixelScale
            drawnRadius = state.settings.brushRadius
        }
        rasterizeNewPoints(state, mapping: mapping, pixelScale: pixelScale)
        try upload(renderer: renderer, color: color)
        guard let texture, let inked = inkBounds, inked.width > 0, inked.height > 0 else { return nil }
        return (texture, PixelRect(x: Int32(inked.minX), y: Int32(inked.minY), w: Int32(inked.width), h: Int32(inked.height)))
    }

    private func resetCursor() {
        cursorStroke = 0
        cursorPoints = 0
    }

    private func rasterizeNewPoints(_ state: AppState, mapping: CanvasMapping, pixelScale: Double) {
        let unitsToPixels = mapping.scale * pixelScale
        let radiusBase = state.settings.brushRadius * unitsToPixels
        var index = cursorStroke
        while true {
            let stroke: Stroke
            let finished: Bool
            if index < state.strokes.count {
                stroke = state.strokes[index]
                finished = true
            } else if index == state.strokes.count, let current = state.currentStroke {
                stroke = current
                finished = false
            } else {
                break
            }
            let points = stroke.points
            // A curved segment needs the point after it, so the pen's newest segment waits for
            // the next event (or the pen lifting): one event of lag buys smooth curves.
            let drawable = finished ? points.count : max(min(points.count, 1), points.count - 1)
            let start = index == cursorStroke ? cursorPoints : 0
            if start < drawable {
                for k in start..<drawable {
                    stampSegment(ending: k, of: points, unitsToPixels: unitsToPixels, radiusBase: radiusBase)
                }
            }
            if finished {
                index += 1
                cursorPoints = 0
                cursorStroke = index
            } else {
                cursorStroke = index
                cursorPoints = max(start, drawable)
                break
            }
        }
    }

    /// Stamps the segment from point k-1 to point k (or a dot for k == 0) as a curve through
    /// its neighbors, so sparse samples from a fast stroke still draw a smooth line.
    private func stampSegment(ending k: Int, of points: [StrokePoint], unitsToPixels: Double, radiusBase: Double) {
        func px(_ p: StrokePoint) -> (x: Double, y: Double) { (p.x * unitsToPixels, p.y * unitsToPixels) }
        func radius(_ p: StrokePoint) -> Double { radiusBase * InkLayer.pressureFactor(p.pressure) }
        let b = points[k]
        guard k > 0 else {
            let p = px(b)
            coverage.stampSegment(ax: p.x, ay: p.y, ra: radius(b), bx: p.x, by: p.y, rb: radius(b))
            return
        }
        let a = points[k - 1]
        let p0 = px(points[max(k - 2, 0)]), p1 = px(a), p2 = px(b), p3 = px(points[min(k + 1, points.count - 1)])
        let r1 = radius(a), r2 = radius(b)
        func distance(_ u: (x: Double, y: Double), _ v: (x: Double, y: Double)) -> Double {
            ((u.x - v.x) * (u.x - v.x) + (u.y - v.y) * (u.y - v.y)).squareRoot()
        }
        let d01 = distance(p0, p1), d12 = distance(p1, p2), d23 = distance(p2, p3)
        // Hermite tangents scaled by chord lengths: Catmull-Rom that does not overshoot when
        // neighboring samples are unevenly spaced.
        let s1 = d01 + d12 > 0 ? d12 / (d01 + d12) : 0
        let s2 = d12 + d23 > 0 ? d12 / (d12 + d23) : 0
        let t1 = ((p2.x - p0.x) * s1, (p2.y - p0.y) * s1)
        let t2 = ((p3.x - p1.x) * s2, (p3.y - p1.y) * s2)
        let steps = max(1, min(256, Int((d12 / 3).rounded(.up))))
        var previous = p1
        var previousRadius = r1
        for i in 1...steps {
            let t = Double(i) / Double(steps)
            let t2c = t * t, t3 = t2c * t
            let h00 = 2 * t3 - 3 * t2c + 1, h10 = t3 - 2 * t2c + t, h01 = -2 * t3 + 3 * t2c, h11 = t3 - t2c
            let point = (x: h00 * p1.x + h10 * t1.0 + h01 * p2.x + h11 * t2.0,
                         y: h00 * p1.y + h10 * t1.1 + h01 * p2.y + h11 * t2.1)
            let r = r1 + (r2 - r1) * t
            coverage.stampSegment(ax: previous.x, ay: previous.y, ra: previousRadius, bx: point.x, by: point.y, rb: r)
            previous = point
            previousRadius = r
        }
    }

    /// Brush width multiplier: a light touch draws thinner, a firm one thicker; devices that
    /// report no pressure draw at the middle width.
    static func pressureFactor(_ pressure: Double?) -> Double {
        guard let p = pressure, p.isFinite else { return 1 }
        return 0.55 + 0.9 * min(max(p, 0), 1)
    }

    private func upload(renderer: Renderer, color: RGBA) throws {
        let stamped = coverage.takeDirtyRect().map { PixelBox(minX: $0.x, minY: $0.y, maxX: $0.x + $0.width, maxY: $0.y + $0.height) }
        inkBounds = PixelBox.union(inkBounds, stamped)
        let sized = texture?.width == coverage.width && texture?.height == coverage.height
        if !sized || textureColor != color {
            if !sized {
                texture = nil
                texture = try renderer.makeTexture(width: coverage.width, height: coverage.height, style: .ink)
            }
            textureColor = color
            staleBounds = nil
            uploadRect(PixelBox(minX: 0, minY: 0, maxX: coverage.width, maxY: coverage.height), color: color)
            return
        }
        if let region = PixelBox.union(staleBounds, stamped) {
            staleBounds = nil
            uploadRect(region, color: color)
        }
    }

    /// Converts coverage to ink-colored ARGB pixels for one rectangle and sends it to the texture.
    private func uploadRect(_ box: PixelBox, color: RGBA) {
        let x = max(0, box.minX), y = max(0, box.minY)
        let width = min(coverage.width, box.maxX) - x, height = min(coverage.height, box.maxY) - y
        guard let texture, width > 0, height > 0 else { return }
        let rgb = UInt32(color.r) << 16 | UInt32(color.g) << 8 | UInt32(color.b)
        let stride = coverage.width
        texture.update(in: PixelRect(x: Int32(x), y: Int32(y), w: Int32(width), h: Int32(height))) { target in
            coverage.pixels.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    let from = (y + row) * stride + x, to = row * width
                    for column in 0..<width {
                        let alpha = source[from + column] & 0xFF00_0000
                        target[to + column] = alpha == 0 ? 0 : alpha | rgb
                    }
                }
            }
        }
    }
}

/// A pixel rectangle as edges (max exclusive), cheap to grow by union.
struct PixelBox: Equatable {
    var minX: Int, minY: Int, maxX: Int, maxY: Int
    var width: Int { maxX - minX }
    var height: Int { maxY - minY }

    static func union(_ a: PixelBox?, _ b: PixelBox?) -> PixelBox? {
        guard let a else { return b }
        guard let b else { return a }
        return PixelBox(minX: min(a.minX, b.minX), minY: min(a.minY, b.minY), maxX: max(a.maxX, b.maxX), maxY: max(a.maxY, b.maxY))
    }
}
