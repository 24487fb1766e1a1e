import Foundation
import NumeralUI
import NumeralVision

/// Draws an `AppState` into any `Renderer`: the window's, or an offscreen software
/// renderer in tests and for screenshots. Holds only caches (textures), never UI state.
public final class SceneRenderer {
    let painter: Painter
    private let ink = InkLayer()
    let inset = CachedTexture<GrayImage>(.crisp)
    private let picture = CachedTexture<GrayImage>(.smoothCoverage)
    var stripInsets: [CachedTexture<GrayImage>] = []
    /// The Explain view's winner and runner-up maps, and its feature-map tiles.
    let explainMaps = [CachedTexture<[UInt32]>(.crisp), CachedTexture<[UInt32]>(.crisp)]
    var explainTiles: [CachedTexture<GrayImage>] = []

    init(renderer: Renderer) throws {
        painter = try Painter(renderer: renderer)
    }

    /// Draws a full frame (without presenting it). `pixelScale` is output pixels per layout point.
    public func draw(_ state: AppState, pixelScale: Double) throws {
        painter.scale = pixelScale > 0 && pixelScale.isFinite ? pixelScale : 1
        let key = ChromeKey(state: state, scale: painter.scale)
        // While the user draws only the ink changes: the rest of the window is redrawn from a
        // cached texture, so a frame costs two blits instead of every card and label.
        if let chrome = chromeTexture(for: key, state: state) {
            painter.renderer.copy(chrome)
        } else {
            drawChrome(state)
        }
        try drawInk(state)
        painter.endFrame()
    }

    /// Everything except the ink.
    private func drawChrome(_ state: AppState) {
        let palette = state.theme.palette
        painter.clear(palette.background)
        drawHeader(state, palette)
        drawCanvasBackground(state, palette)
        drawToolbar(state, palette)
        drawFeedbackBar(state, palette)
        drawPredictionCard(state, palette)
        drawStripCard(state, palette)
        drawChartCard(state, palette)
        drawStatusBar(state, palette)
    }

    private var chrome: Texture?
    private var chromeKey: ChromeKey?

    /// The cached chrome, redrawn when anything but the strokes changed; nil when the renderer
    /// cannot draw into textures (then everything is drawn every frame).
    private func chromeTexture(for key: ChromeKey, state: AppState) -> Texture? {
        let size = painter.renderer.outputSize
        if chrome?.width != size.width || chrome?.height != size.height {
            chrome = nil
            chromeKey = nil
            chrome = try? painter.renderer.makeTargetTexture()
        }
        guard let chrome else { return nil }
        if chromeKey != key {
            guard painter.renderer.draw(into: chrome, { drawChrome(state) }) else { return nil }
            chromeKey = key
        }
        return chrome
    }

    // MARK: - Regions

    private func drawHeader(_ s: AppState, _ p: Palette) {
        let l = s.layout
        painter.fill(l.header, p.header)
        painter.fill(UIRect(x: 0, y: l.header.maxY - 1 / painter.scale, width: l.header.width, height: 1 / painter.scale), p.cardBorder)
        let titleWidth = painter.text("Numeral", in: l.title, size: 21, weight: .bold, color: p.text)
        let subtitle = UIRect(x: l.title.x + titleWidth + 12, y: l.title.y + 2, width: max(0, l.title.width - titleWidth - 12), height: l.title.height)
        if subtitle.width > 220 {
            painter.text("handwritten digit recognizer", in: subtitle, size: 13, color: p.mutedText)
        }
        drawButton(.camera, "Camera (V)", s, p)
        drawButton(.theme, s.theme == .light ? "Dark theme" : "Light theme", s, p)
        drawButton(.dashboard, "Dashboard", s, p)
    }

    private func drawCanvasBackground(_ s: AppState, _ p: Palette) {
        let canvas = s.layout.canvas
        painter.card(canvas, radius: 12, fill: p.paper, border: p.cardBorder)

        if let image = s.picture {
            let area = canvas.insetBy(dx: 24, dy: 24)
            let aspect = Double(image.width) / Double(max(1, image.height))
            let w = min(area.width, area.height * aspect), h = w / aspect
            let fitted = UIRect(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
            if let t = try? picture.texture(for: image, renderer: painter.renderer) {
                t.tint(p.ink.withAlpha(255))
                painter.copy(t, to: fitted)
            }
            if let name = s.pictureName {
                painter.text(painter.fitting(name, width: canvas.width - 32, size: 12),
                             in: UIRect(x: canvas.x + 16, y: canvas.maxY - 30, width: canvas.width - 32, height: 22),
                             size: 12, color: p.mutedText)
            }
        } else if !s.hasInk {
            let c = canvas.center
            painter.text(s.nothingDrawn ? "Nothing drawn yet" : "Draw a digit here",
                         in: UIRect(x: canvas.x, y: c.y - 26, width: canvas.width, height: 30),
                         size: 22, weight: .bold, color: s.nothingDrawn ? p.mutedText : p.canvasHint, align: .center)
            // A kiosk has a touchscreen and no keyboard or file manager: no hints about either.
            let hint = s.layout.variant == .kiosk
                ? "draw with your finger  ·  several digits make a number"
                : "mouse, pen or touch  ·  several digits make a number  ·  drop a PNG to read a picture"
            painter.text(painter.fitting(hint, width: canvas.width - 24, size: 12.5),
                         in: UIRect(x: canvas.x, y: c.y + 8, width: canvas.width, height: 20),
                         size: 12.5, color: p.canvasHint, align: .center)
        }
    }

    private func drawInk(_ s: AppState) throws {
        guard s.picture == nil,
              let layer = try ink.texture(for: s, pixelScale: painter.scale, renderer: painter.renderer,
                                          color: s.theme.palette.ink) else { return }
        // Only the part of the canvas that has ink is blended: every frame while drawing pays for it.
        let origin = painter.pixelRect(s.layout.canvas)
        let source = layer.inked
        painter.renderer.copy(layer.texture, from: source,
                              to: PixelRect(x: origin.x + source.x, y: origin.y + source.y, w: source.w, h: source.h))
    }

    private func drawToolbar(_ s: AppState, _ p: Palette) {
        drawButton(.undo, "Undo", s, p, enabled: !s.strokes.isEmpty)
        drawButton(.clear, "Clear", s, p, enabled: s.hasInk || s.picture != nil)
        drawButton(.predict, s.isRecognizing ? "Predicting…" : "Predict", s, p, style: .primary)
        guard let clear = s.layout.rect(of: .clear), let predict = s.layout.rect(of: .predict) else { return }
        let gap = UIRect(x: clear.maxX + 12, y: clear.y, width: predict.minX - clear.maxX - 24, height: clear.height)
        let hint = "Enter predict · Ctrl+Z undo · C clear"
        if s.layout.variant != .kiosk, gap.width > painter.measure(hint, size: 12) {
            painter.text(hint, in: gap, size: 12, color: p.mutedText, align: .center)
        }
    }

    private func drawFeedbackBar(_ s: AppState, _ p: Palette) {
        let current = s.isPredictionCurrent
        var confirmed = false
        var correctedDigit: Int?
        if let shown = s.prediction, let actual = shown.feedback.actual {
            if actual == shown.display.number {
                confirmed = true
            } else {
                let chars = Array(actual)
                correctedDigit = chars.indices.contains(s.selectedDigit) ? chars[s.selectedDigit].wholeNumberValue : nil
            }
        }
        drawButton(.correct, s.layout.variant == .kiosk ? "✓ Yes" : "✓ Correct", s, p, style: confirmed ? .selected : .normal, enabled: current)
        for d in 0..<10 {
            drawButton(.digit(d), String(d), s, p, style: correctedDigit == d ? .selected : .normal, enabled: current)
        }
    }

    private func drawStatusBar(_ s: AppState, _ p: Palette) {
        let bar = s.layout.statusBar
        painter.fill(bar, p.header)
        painter.fill(UIRect(x: bar.x, y: bar.y, width: bar.width, height: 1 / painter.scale), p.cardBorder)
        let inner = bar.insetBy(dx: 16, dy: 0)
        var right = ""
        if let shown = s.prediction {
            switch shown.log {
            case .pending: right = "logging…"
            case .logged(let id): right = "logged #\(id)"
            case .kept: right = "kept, log busy"
            case .failed: right = "not logged"
            }
            right = "\(shown.inputType == .upload ? "picture" : "drawing") · " + right
        }
        let rightWidth = right.isEmpty ? 0 : painter.text(right, in: inner, size: 12, color: p.mutedText, align: .right)
        let left = UIRect(x: inner.x, y: inner.y, width: inner.width - rightWidth - 16, height: inner.height)
        if let message = s.message {
            painter.statusMessage(message, in: left, size: 13, palette: p)
        } else if let problem = s.loggingProblem {
            painter.text(painter.fitting("logging unavailable: \(problem)", width: left.width, size: 13, weight: .bold),
                         in: left, size: 13, weight: .bold, color: p.error)
        } else if s.layout.variant == .kiosk {
            painter.text(painter.fitting("Draw with your finger · Numeral guesses as you draw · tell it whether it was right",
                                         width: left.width, size: 12),
                         in: left, size: 12, color: p.mutedText)
        } else {
            painter.text(painter.fitting("Draw · Enter predict · ✓ or 0–9 to confirm/correct · E explain · L letters · V camera · D dashboard · T theme · S screenshot · Esc quit",
                                         width: left.width, size: 12),
                         in: left, size: 12, color: p.mutedText)
        }
    }

    // MARK: - Pieces

    enum ButtonStyle { case normal, primary, selected }

    func drawButton(_ id: ButtonID, _ label: String, _ s: AppState, _ p: Palette,
                            style: ButtonStyle = .normal, enabled: Bool = true) {
        guard let r = s.layout.rect(of: id) else { return }
        let hovered = enabled && s.hoveredButton == id
        let pressed = enabled && s.pressedButton == id && (s.hoveredButton == id || s.activePointer != .mouse)
        let fill: RGBA, textColor: RGBA
        switch style {
        case .primary:
            fill = pressed || hovered ? p.accentHover : p.accent
            textColor = p.onAccent
        case .selected:
            fill = p.accent
            textColor = p.onAccent
        case .normal:
            fill = pressed ? p.buttonPressed : (hovered ? p.buttonHover : p.button)
            textColor = enabled ? p.text : p.mutedText.withAlpha(150)
        }
        if style == .normal {
            painter.card(r, radius: 8, fill: fill, border: p.buttonBorder)
        } else {
            painter.fillRounded(r, radius: 8, fill)
        }
        // Kiosk buttons are finger-sized; their labels grow with them (desktop ones stay at 14).
        let labelSize = max(14, min(24, r.height * 0.3))
        painter.text(label, in: r, size: labelSize, weight: style == .normal ? .regular : .bold, color: textColor, align: .center)
    }

}

/// What the chrome (everything but the ink) depends on: the state without its strokes, plus
/// the few facts about strokes the chrome shows (hint text, enabled buttons).
private struct ChromeKey: Equatable {
    let state: AppState
    let scale: Double
    let hasInk: Bool
    let hasStrokes: Bool

    init(state: AppState, scale: Double) {
        var stripped = state
        stripped.strokes = []
        stripped.currentStroke = nil
        stripped.drawingStartTime = nil
        stripped.lastEditTime = nil
        stripped.recognitionDueAt = nil
        stripped.strokeEpoch = 0
        stripped.revision = 0
        self.state = stripped
        self.scale = scale
        hasInk = state.hasInk
        hasStrokes = !state.strokes.isEmpty
        // Staleness and "predicting…" are derived from revisions the stripped state lacks.
        fresh = state.isPredictionCurrent
        recognizing = state.isRecognizing
    }

    let fresh: Bool
    let recognizing: Bool
}

extension FeedbackState {
    /// The answer the user gave, whatever became of it.
    var actual: String? {
        switch self {
        case .none: return nil
        case .sending(let a), .recorded(let a): return a
        case .failed(let a, _): return a
        }
    }
}
