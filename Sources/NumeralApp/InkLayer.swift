import CSDL2
import NumeralUI
import NumeralVision

/// The canvas strokes as an SDL texture at output-pixel resolution. Keeps what it has
/// already rasterized and, while the user draws, only stamps the new segments and uploads
/// the changed rectangle; everything is redrawn only after undo/clear/resize.
final class InkLayer {
    private var coverage = CoverageCanvas(width: 0, height: 0)
    private var texture: OpaquePointer?
    private var textureSize = (width: 0, height: 0)
    private var drawnEpoch = -1
    private var drawnMapping: CanvasMapping?
    private var drawnPixelScale = 0.0
    private var drawnRadius = 0.0
    /// Rasterized so far: all strokes before `cursorStroke`, and `cursorPoints` points of it.
    private var cursorStroke = 0
    private var cursorPoints = 0

    deinit { if let texture { SDL_DestroyTexture(texture) } }

    /// Brings the texture up to date with `state` and returns it (nil if the canvas is empty-sized).
    func texture(for state: AppState, pixelScale: Double, renderer: OpaquePointer) throws -> OpaquePointer? {
        let mapping = state.canvasMapping
        let pixelWidth = Int((state.layout.canvas.width * pixelScale).rounded())
        let pixelHeight = Int((state.layout.canvas.height * pixelScale).rounded())
        guard pixelWidth > 0, pixelHeight > 0 else { return nil }

        if pixelWidth != coverage.width || pixelHeight != coverage.height {
            coverage = CoverageCanvas(width: pixelWidth, height: pixelHeight)
            resetCursor()
        }
        if drawnEpoch != state.strokeEpoch || drawnMapping != mapping || drawnPixelScale != pixelScale
            || drawnRadius != state.settings.brushRadius {
            coverage.clear()
            resetCursor()
            drawnEpoch = state.strokeEpoch
            drawnMapping = mapping
            drawnPixelScale = pixelScale
            drawnRadius = state.settings.brushRadius
        }
        rasterizeNewPoints(state, mapping: mapping, pixelScale: pixelScale)
        try upload(renderer: renderer)
        return texture
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

    private func upload(renderer: OpaquePointer) throws {
        if texture == nil || textureSize != (coverage.width, coverage.height) {
            if let texture { SDL_DestroyTexture(texture) }
            guard let created = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888.rawValue,
                                                  Int32(SDL_TEXTUREACCESS_STREAMING.rawValue),
                                                  Int32(coverage.width), Int32(coverage.height)) else {
                throw AppError.sdl(operation: "Creating the ink texture", detail: sdlErrorText())
            }
            SDL_SetTextureBlendMode(created, SDL_BLENDMODE_BLEND)
            texture = created
            textureSize = (coverage.width, coverage.height)
            _ = coverage.takeDirtyRect()
            uploadRect(x: 0, y: 0, width: coverage.width, height: coverage.height)
            return
        }
        if let d = coverage.takeDirtyRect() {
            uploadRect(x: d.x, y: d.y, width: d.width, height: d.height)
        }
    }

    private func uploadRect(x: Int, y: Int, width: Int, height: Int) {
        guard let texture, width > 0, height > 0 else { return }
        var rect = SDL_Rect(x: Int32(x), y: Int32(y), w: Int32(width), h: Int32(height))
        let pitch = Int32(coverage.width * 4)
        coverage.pixels.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            SDL_UpdateTexture(texture, &rect, base + (y * coverage.width + x) * 4, pitch)
        }
    }
}

func sdlErrorText() -> String {
    guard let p = SDL_GetError() else { return "" }
    return String(cString: p)
}
