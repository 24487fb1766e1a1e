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
        // Drawing coordinates are canvas-relative, so the layer's origin is the drawing's origin.
        func radius(_ p: StrokePoint) -> Double { radiusBase * InkLayer.pressureFactor(p.pressure) }
        var index = cursorStroke
        while true {
            let stroke: Stroke
            if index < state.strokes.count {
                stroke = state.strokes[index]
            } else if index == state.strokes.count, let current = state.currentStroke {
                stroke = current
            } else {
                break
            }
            let points = stroke.points
            let start = index == cursorStroke ? cursorPoints : 0
            if start < points.count {
                for k in start..<points.count {
                    let b = points[k]
                    let a = k == 0 ? b : points[k - 1]
                    coverage.stampSegment(ax: a.x * unitsToPixels, ay: a.y * unitsToPixels, ra: radius(a),
                                          bx: b.x * unitsToPixels, by: b.y * unitsToPixels, rb: radius(b))
                }
            }
            if index < state.strokes.count {
                index += 1
                cursorPoints = 0
                cursorStroke = index
            } else {
                cursorStroke = index
                cursorPoints = points.count
                break
            }
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
