import Foundation
import NumeralUI
import NumeralVision

/// Draws a `CameraState`: the live preview (the gray frame as a texture) with a box around each
/// number it sees and the live reading over it, the steady reading, the device picker or the
/// message of a missing or stopped camera, and for a captured frame the drawing view's result
/// column (inset, top three, number strip, probability bars) and feedback buttons.
final class CameraRenderer {
    private let scene: SceneRenderer
    private var painter: Painter { scene.painter }
    /// The frame shown: uploaded once per new frame, smoothly scaled.
    private let frameTexture = CachedTexture<FrameID>(.cameraFrame)
    private struct FrameID: Equatable { let stream: Int, index: Int }

    init(scene: SceneRenderer) { self.scene = scene }

    func draw(_ s: CameraState, theme: ThemeName, pixelScale: Double) {
        painter.scale = pixelScale > 0 && pixelScale.isFinite ? pixelScale : 1
        let p = theme.palette
        painter.clear(p.background)
        drawHeader(s, p)
        drawPreview(s, p)
        drawToolbar(s, p)
        drawFeedbackBar(s, p)
        drawResults(s, theme: theme, p)
        drawStatusBar(s, p)
        painter.endFrame()
    }

    // MARK: - Header, toolbar, feedback, status

    private func drawHeader(_ s: CameraState, _ p: Palette) {
        let l = s.layout.base
        painter.fill(l.header, p.header)
        painter.fill(UIRect(x: 0, y: l.header.maxY - 1 / painter.scale, width: l.header.width, height: 1 / painter.scale), p.cardBorder)
        let titleWidth = painter.text("Numeral", in: l.title, size: 21, weight: .bold, color: p.text)
        let subtitle = UIRect(x: l.title.x + titleWidth + 12, y: l.title.y + 2, width: max(0, l.title.width - titleWidth - 12),
                              height: l.title.height)
        let source = s.source.map { " · \($0.description)" } ?? ""
        painter.text(painter.fitting("camera\(source)", width: subtitle.width, size: 13), in: subtitle, size: 13, color: p.mutedText)
        drawButton(.back, "Drawing (V)", s, p)
    }

    private func drawToolbar(_ s: CameraState, _ p: Palette) {
        // A compact window's buttons are too narrow for the key hints (the status bar lists them).
        let keys = !s.layout.base.isCompact
        drawButton(.devices, keys ? "Devices (L)" : "Devices", s, p)
        drawButton(.retry, keys ? "Retry (R)" : "Retry", s, p)
        drawButton(.capture, (s.capture == nil ? "Capture" : "Resume") + (keys ? " (Space)" : ""), s, p, primary: true)
        guard let retry = s.layout.rect(of: .retry), let capture = s.layout.rect(of: .capture) else { return }
        let gap = UIRect(x: retry.maxX + 12, y: retry.y, width: capture.minX - retry.maxX - 24, height: retry.height)
        let hint = s.capture == nil ? "Space freezes the frame" : "✓ Enter · 0–9 correct"
        if gap.width > painter.measure(hint, size: 12) {
            painter.text(hint, in: gap, size: 12, color: p.mutedText, align: .center)
        }
    }

    private func drawFeedbackBar(_ s: CameraState, _ p: Palette) {
        guard let capture = s.capture else {
            let bar = s.layout.base.feedbackBar
            let text = s.steady.text.map { "Steady reading: \($0)  ·  Space to capture it" }
                ?? (s.isLive ? "Hold digits on paper in front of the camera" : "")
            painter.text(painter.fitting(text, width: bar.width, size: 14), in: bar, size: 14,
                         weight: s.steady.text == nil ? .regular : .bold, color: s.steady.text == nil ? p.mutedText : p.text)
            return
        }
        var confirmed = false
        var corrected: Int?
        if let actual = capture.feedback.actual {
            if actual == capture.reading.display.number {
                confirmed = true
            } else {
                let chars = Array(actual)
                corrected = chars.indices.contains(capture.selectedDigit) ? chars[capture.selectedDigit].wholeNumberValue : nil
            }
        }
        drawButton(.correct, "✓ Correct", s, p, selected: confirmed)
        for d in 0..<10 { drawButton(.digit(d), String(d), s, p, selected: corrected == d) }
    }

    private func drawStatusBar(_ s: CameraState, _ p: Palette) {
        let bar = s.layout.base.statusBar
        painter.fill(bar, p.header)
        painter.fill(UIRect(x: bar.x, y: bar.y, width: bar.width, height: 1 / painter.scale), p.cardBorder)
        let inner = bar.insetBy(dx: 16, dy: 0)
        var right = ""
        if let capture = s.capture, let log = capture.log {
            switch log {
            case .pending: right = "camera · logging…"
            case .logged(let id): right = "camera · logged #\(id)"
            case .kept: right = "camera · kept, log busy"
            case .failed: right = "camera · not logged"
            }
        } else if s.isLive, let reading = s.reading {
            right = String(format: "frame %d · read in %.1f ms", reading.frameIndex, reading.latencyMs)
        }
        let rightWidth = right.isEmpty ? 0 : painter.text(right, in: inner, size: 12, color: p.mutedText, align: .right)
        let left = UIRect(x: inner.x, y: inner.y, width: inner.width - rightWidth - 16, height: inner.height)
        if let message = s.message {
            painter.statusMessage(message, in: left, size: 12.5, palette: p)
            return
        }
        let (text, color, weight): (String, RGBA, FontBook.Weight)
        if let problem = s.readingProblem {
            (text, color, weight) = ("Cannot read frames: \(problem)", p.error, .bold)
        } else if let problem = s.loggingProblem {
            (text, color, weight) = ("logging unavailable: \(problem)", p.error, .bold)
        } else {
            (text, color, weight) = ("Space capture · Enter ✓ · 0–9 correct · L devices · R retry · V or Esc back to drawing · S screenshot",
                                     p.mutedText, .regular)
        }
        painter.text(painter.fitting(text, width: left.width, size: 12.5, weight: weight), in: left, size: 12.5, weight: weight, color: color)
    }

    // MARK: - Preview

    private func drawPreview(_ s: CameraState, _ p: Palette) {
        let preview = s.layout.preview
        painter.card(preview, radius: 12, fill: RGBA(hex: 0x0E1116), border: p.cardBorder)
        let frame = s.capture?.frame ?? s.frame
        if let frame, frame.gray.count == frame.width * frame.height,
           let t = try? frameTexture.texture(for: FrameID(stream: s.stream, index: frame.index), width: frame.width,
                                             height: frame.height, renderer: painter.renderer, upload: { $0.update(gray: frame.gray) }) {
            painter.copy(t, to: s.layout.frameRect(width: frame.width, height: frame.height))
        }
        if let capture = s.capture {
            drawBoxes(capture.reading, frame: capture.frame, s, selected: capture.selectedDigit, p)
            banner("Captured: \(capture.reading.isEmpty ? "no digits" : capture.reading.text)", in: preview, color: p.accent, p)
            return
        }
        switch s.phase {
        case .closed:
            return
        case .findingDevices:
            centered("Looking for cameras…", detail: nil, in: preview, p)
        case .choosing(let devices):
            drawPicker(devices, s, p)
        case .starting(let source):
            centered("Opening \(source.description)…", detail: "A camera can take a few seconds to start.", in: preview, p)
        case .live:
            if let reading = s.reading, let readFrame = s.readFrame {
                drawBoxes(reading, frame: readFrame, s, selected: nil, p)
            }
            if let steady = s.steady.text {
                banner("Reading: \(steady)", in: preview, color: p.success, p)
            } else if s.frame == nil {
                centered("Waiting for the first frame…", detail: nil, in: preview, p)
            }
        case .stopped(_, let message):
            if frame != nil { painter.fill(preview.insetBy(dx: 1, dy: 1), RGBA(0, 0, 0, 170)) }
            centered(s.source == nil ? "No camera" : "Camera stopped", detail: message, in: preview, p, error: true)
        }
    }

    /// A box around each number with its reading (and confidence) above it; for a captured
    /// frame, each digit's own box too, the selected one highlighted.
    private func drawBoxes(_ reading: CameraReading, frame: CameraFrame, _ s: CameraState, selected: Int?, _ p: Palette) {
        let layout = s.layout
        var digitIndex = 0
        for number in reading.numbers {
            let r = layout.rect(of: number.box, frameWidth: frame.width, frameHeight: frame.height).insetBy(dx: -4, dy: -4)
            outline(r, color: p.accent, width: 2)
            if selected != nil {
                for box in number.boxes {
                    let d = layout.rect(of: box, frameWidth: frame.width, frameHeight: frame.height)
                    outline(d.insetBy(dx: -1, dy: -1), color: digitIndex == selected ? RGBA(hex: 0xFFB300) : p.accent.withAlpha(140),
                            width: digitIndex == selected ? 2 : 1)
                    digitIndex += 1
                }
            }
            // A reading below the calibrated confidence is a guess, and says so.
            let label = String(format: number.unsure ? "%@? · %.0f%% · unsure" : "%@ · %.0f%%", number.text, Double(number.confidence) * 100)
            let width = painter.measure(label, size: 15, weight: .bold) + 14
            let tagY = r.y - 26 >= layout.preview.y + 4 ? r.y - 26 : r.maxY + 2
            let tag = UIRect(x: min(r.x, layout.preview.maxX - width - 4), y: tagY, width: width, height: 24)
            painter.fillRounded(tag, radius: 5, number.unsure ? RGBA(hex: 0xB26A00) : p.accent)
            painter.text(label, in: tag, size: 15, weight: .bold, color: p.onAccent, align: .center)
        }
    }

    private func drawPicker(_ devices: [CameraDevice], _ s: CameraState, _ p: Palette) {
        let preview = s.layout.preview
        painter.text("Choose a camera", in: UIRect(x: preview.x, y: preview.y + 24, width: preview.width, height: 30),
                     size: 20, weight: .bold, color: RGBA(hex: 0xE7EAF0), align: .center)
        painter.text("click it or press its number", in: UIRect(x: preview.x, y: preview.y + 52, width: preview.width, height: 20),
                     size: 12.5, color: RGBA(hex: 0x98A2B3), align: .center)
        for (i, device) in devices.prefix(CameraLayout.maximumDevices).enumerated() {
            guard let row = s.layout.rect(of: .device(i)) else { continue }
            let hovered = s.hoveredButton == .device(i) || s.pressedButton == .device(i)
            painter.card(row, radius: 8, fill: hovered ? p.buttonHover : p.button, border: p.buttonBorder)
            painter.text("\(i + 1)", in: UIRect(x: row.x + 14, y: row.y, width: 20, height: row.height), size: 15, weight: .bold, color: p.accent)
            painter.text(painter.fitting(device.label, width: row.width - 60, size: 14),
                         in: UIRect(x: row.x + 44, y: row.y, width: row.width - 56, height: row.height), size: 14, color: p.text)
        }
    }

    private func banner(_ text: String, in preview: UIRect, color: RGBA, _ p: Palette) {
        let width = min(preview.width - 32, painter.measure(text, size: 22, weight: .bold) + 32)
        let r = UIRect(x: preview.x + (preview.width - width) / 2, y: preview.maxY - 58, width: width, height: 42)
        painter.fillRounded(r, radius: 10, color)
        painter.text(painter.fitting(text, width: width - 16, size: 22, weight: .bold), in: r, size: 22, weight: .bold,
                     color: RGBA(hex: 0xFFFFFF), align: .center)
    }

    private func centered(_ title: String, detail: String?, in preview: UIRect, _ p: Palette, error: Bool = false) {
        let c = preview.center
        painter.text(title, in: UIRect(x: preview.x, y: c.y - 40, width: preview.width, height: 30), size: 22, weight: .bold,
                     color: error ? RGBA(hex: 0xFF8A80) : RGBA(hex: 0xE7EAF0), align: .center)
        guard let detail else { return }
        // Wrapped by words into lines that fit.
        var lines: [String] = [], line = ""
        let width = preview.width - 48
        for word in detail.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if painter.measure(candidate, size: 14) > width, !line.isEmpty {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        for (i, text) in lines.prefix(6).enumerated() {
            painter.text(text, in: UIRect(x: preview.x + 24, y: c.y - 2 + Double(i) * 22, width: width, height: 20), size: 14,
                         color: RGBA(hex: 0xD0D5DD), align: .center)
        }
    }

    private func outline(_ r: UIRect, color: RGBA, width: Double) {
        let w = max(1, width)
        painter.fill(UIRect(x: r.x, y: r.y, width: r.width, height: w), color)
        painter.fill(UIRect(x: r.x, y: r.maxY - w, width: r.width, height: w), color)
        painter.fill(UIRect(x: r.x, y: r.y, width: w, height: r.height), color)
        painter.fill(UIRect(x: r.maxX - w, y: r.y, width: w, height: r.height), color)
    }

    // MARK: - Result column

    /// The captured frame's reading (or, live, the current one) in the drawing view's panels.
    private func drawResults(_ s: CameraState, theme: ThemeName, _ p: Palette) {
        let l = s.layout.base
        let reading = s.capture?.reading ?? (s.isLive ? s.reading : nil)
        let selected = s.capture?.selectedDigit ?? 0
        guard let reading, !reading.isEmpty else {
            painter.card(l.predictionCard, radius: 12, fill: p.card, border: p.cardBorder)
            scene.drawInset(nil, in: l.inset, p)
            let area = l.topThree
            painter.text(s.capture == nil ? "Live reading" : "Captured", in: UIRect(x: area.x, y: area.y, width: area.width, height: 18),
                         size: 13, color: p.mutedText)
            painter.text("No digits", in: UIRect(x: area.x, y: area.y + 30, width: area.width, height: 40), size: 24,
                         weight: .bold, color: p.canvasHint)
            painter.text(painter.fitting("Hold digits on paper in view.", width: area.width, size: 12),
                         in: UIRect(x: area.x, y: area.y + 74, width: area.width, height: 18), size: 12, color: p.mutedText)
            painter.card(l.stripCard, radius: 12, fill: p.card, border: p.cardBorder)
            painter.text("Number", in: UIRect(x: l.strip.x, y: l.stripCard.y + (l.isCompact ? 6 : 8), width: l.strip.width, height: 22),
                         size: 13, color: p.mutedText)
            drawChart(nil, s, p)
            return
        }
        // The drawing view's own panels, given the reading as the prediction on screen.
        var shown = AppState(width: l.size.width, height: l.size.height, theme: theme)
        shown.prediction = ShownPrediction(display: reading.display, revision: shown.revision, serial: 0, inputType: .camera,
                                           log: .pending, feedback: .none)
        shown.selectedDigit = min(selected, reading.digits.count - 1)
        scene.drawPredictionCard(shown, p)
        scene.drawStripCard(shown, p)
        drawChart(shown.selectedDigitPrediction, s, p)
        painter.text(s.capture == nil ? "Live" : "Captured",
                     in: UIRect(x: l.topThree.x, y: l.topThree.y, width: l.topThree.width, height: 18), size: 12, weight: .bold,
                     color: s.capture == nil ? p.success : p.accent, align: .right)
    }

    private func drawChart(_ digit: DigitPrediction?, _ s: CameraState, _ p: Palette) {
        let l = s.layout.base
        painter.card(l.chartCard, radius: 12, fill: p.card, border: p.cardBorder)
        let pad = l.chart.x - l.chartCard.x
        let titleRow = UIRect(x: l.chartCard.x + pad, y: l.explainButton.y, width: l.chartCard.width - 2 * pad, height: l.explainButton.height)
        let titleWidth = painter.text("Probabilities", in: titleRow, size: 13, color: p.mutedText)
        if let reading = s.capture?.reading ?? s.reading, !reading.isEmpty {
            let info = "model \(reading.modelID) · \(String(format: "%.1f ms", reading.latencyMs))"
            let width = titleRow.width - titleWidth - 12
            if width > 60 { painter.text(painter.fitting(info, width: width, size: 12), in: titleRow, size: 12, color: p.mutedText, align: .right) }
        }
        let winner = digit?.best
        let labelSize = l.chartTextSize
        for row in l.chartRows {
            let isWinner = row.digit == winner
            painter.text(String(row.digit), in: row.label, size: labelSize, weight: isWinner ? .bold : .regular,
                         color: isWinner ? p.text : p.mutedText, align: .center)
            painter.fillRounded(row.track, radius: row.track.height / 2, p.barTrack)
            guard let digit, row.digit < digit.probabilities.count else { continue }
            let probability = Double(scene.clampedProbability(digit.probabilities[row.digit]))
            let bar = SceneRenderer.barRect(track: row.track, probability: probability)
            painter.fillRounded(bar, radius: min(bar.height, bar.width) / 2, isWinner ? p.winnerBar : p.bar)
            painter.text(scene.percent(Float(probability)), in: row.value, size: min(13, labelSize), weight: isWinner ? .bold : .regular,
                         color: isWinner ? p.text : p.mutedText, align: .right)
        }
    }

    // MARK: - Buttons

    private func drawButton(_ id: CameraButton, _ label: String, _ s: CameraState, _ p: Palette,
                            primary: Bool = false, selected: Bool = false) {
        guard let r = s.layout.rect(of: id) else { return }
        let enabled = s.enables(id)
        let hovered = enabled && s.hoveredButton == id
        let pressed = enabled && s.pressedButton == id
        if primary || selected {
            painter.fillRounded(r, radius: 8, primary && enabled ? (pressed || hovered ? p.accentHover : p.accent)
                                                               : (selected ? p.accent : p.button))
            painter.text(label, in: r, size: 14, weight: .bold, color: enabled || selected ? p.onAccent : p.mutedText, align: .center)
        } else {
            painter.card(r, radius: 8, fill: pressed ? p.buttonPressed : (hovered ? p.buttonHover : p.button), border: p.buttonBorder)
            painter.text(label, in: r, size: 14, color: enabled ? p.text : p.mutedText.withAlpha(150), align: .center)
        }
    }
}
