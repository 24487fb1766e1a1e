import Foundation
import NumeralUI
import NumeralVision

/// The right-hand column: what the model saw (inset), its top three, the number strip and
/// the probability chart.
extension SceneRenderer {
    func drawPredictionCard(_ s: AppState, _ p: Palette) {
        let l = s.layout
        painter.card(l.predictionCard, radius: 12, fill: p.card, border: p.cardBorder)
        drawInset(s.selectedDigitPrediction?.input, in: l.inset, p)

        let area = l.topThree
        let fresh = s.isPredictionCurrent
        let digits = s.prediction?.display.digits.count ?? 0
        let heading: String
        if s.isRecognizing && !fresh { heading = s.fileInFlight != nil ? "Reading picture…" : "Predicting…" }
        else if s.prediction != nil && !fresh { heading = "Out of date: drawing changed" }
        else if digits > 1 { heading = "\(s.classes == .digits ? "Digit" : "Character") \(min(s.selectedDigit, digits - 1) + 1) of \(digits)" }
        else { heading = "Prediction" }
        let setName = s.classes == .digits ? heading : "\(heading) · \(s.classes.displayName) (L)"
        painter.text(painter.fitting(setName, width: area.width, size: 13), in: UIRect(x: area.x, y: area.y, width: area.width, height: 18),
                     size: 13, color: p.mutedText)

        guard let digit = s.selectedDigitPrediction, digit.best != nil else {
            let (title, detail): (String, String)
            if s.isRecognizing {
                (title, detail) = ("Predicting…", "")
            } else if s.nothingDrawn {
                (title, detail) = ("Nothing drawn", "Draw a digit on the canvas first.")
            } else if s.hasInk {
                (title, detail) = s.message?.kind == .error
                    ? ("No prediction", "See the message below.")
                    : ("Ready", "Press Enter or Predict.")
            } else {
                (title, detail) = ("Draw a digit", "Predicts live as you draw.")
            }
            painter.text(title, in: UIRect(x: area.x, y: area.y + 30, width: area.width, height: 40), size: 24,
                         weight: .bold, color: p.canvasHint)
            painter.text(detail, in: UIRect(x: area.x, y: area.y + 74, width: area.width, height: 18),
                         size: 12, color: p.mutedText)
            return
        }
        let strong = fresh ? p.text : p.mutedText
        let top = digit.top3Symbols
        // A kiosk's answer grows with its screen: read from a few steps away on a museum display.
        // A compact window shrinks it to fit the smaller card; its runner-up rows get tighter too.
        let compact = s.layout.isCompact
        let zoom = compact ? 0.62 : s.layout.variant == .kiosk ? max(1, min(2.4, (area.height - 44) / 100, area.width / 160)) : 1
        let bigRow = UIRect(x: area.x, y: area.y + 20, width: area.width, height: 76 * zoom)
        let digitWidth = painter.text(String(digit.symbol), in: UIRect(x: bigRow.x, y: bigRow.y, width: 64 * zoom, height: bigRow.height),
                                      size: 62 * zoom, weight: .bold, color: fresh ? p.accent : p.mutedText)
        let confidenceX = bigRow.x + max(digitWidth, 40 * zoom) + 16 * zoom
        painter.text(percent(digit.confidence), in: UIRect(x: confidenceX, y: bigRow.y + 12 * zoom, width: bigRow.maxX - confidenceX, height: 30 * zoom),
                     size: 24 * zoom, weight: .bold, color: strong)
        painter.text("confidence", in: UIRect(x: confidenceX, y: bigRow.y + 42 * zoom, width: bigRow.maxX - confidenceX, height: max(12, 18 * zoom)),
                     size: max(10, 12 * min(zoom, 1.5)), color: p.mutedText)
        let rowHeight = compact ? 13.0 : 22.0, small = compact ? 11.0 : 12.5
        for (rank, entry) in top.dropFirst().enumerated() {
            let row = UIRect(x: area.x, y: area.y + (compact ? 21 : 24) + bigRow.height + Double(rank) * rowHeight, width: area.width, height: rowHeight)
            painter.text(rank == 0 ? "2nd" : "3rd", in: UIRect(x: row.x, y: row.y, width: 36, height: row.height), size: small, color: p.mutedText)
            painter.text(String(entry.symbol), in: UIRect(x: row.x + 40, y: row.y, width: 24, height: row.height),
                         size: compact ? 13 : 16, weight: .bold, color: strong)
            painter.text(percent(entry.probability), in: UIRect(x: row.x + 66, y: row.y, width: 80, height: row.height),
                         size: compact ? 11 : 13, color: p.mutedText)
        }
    }

    func drawStripCard(_ s: AppState, _ p: Palette) {
        let l = s.layout
        painter.card(l.stripCard, radius: 12, fill: p.card, border: p.cardBorder)
        let pad = l.strip.x - l.stripCard.x
        let titleRow = UIRect(x: l.stripCard.x + pad, y: l.stripCard.y + (l.isCompact ? 6 : 8), width: l.stripCard.width - 2 * pad, height: 22)
        painter.text(s.classes == .digits ? "Number" : "Text", in: titleRow, size: 13, color: p.mutedText)
        guard let display = s.prediction?.display, display.digits.count > 1 else {
            painter.text(painter.fitting("Write several digits side by side to read a whole number.", width: l.strip.width, size: 12.5),
                         in: l.strip, size: 12.5, color: p.canvasHint)
            return
        }
        painter.text(display.number, in: titleRow, size: 18, weight: .bold, color: s.isPredictionCurrent ? p.text : p.mutedText, align: .right)
        let cells = l.stripCells(count: display.digits.count)
        while stripInsets.count < cells.count { stripInsets.append(CachedTexture(.crisp)) }
        for (i, cell) in cells.enumerated() {
            let digit = display.digits[i]
            if i == s.selectedDigit {
                painter.fillRounded(cell.insetBy(dx: -3, dy: -3), radius: 6, p.accent)
                painter.fillRounded(cell.insetBy(dx: -1, dy: -1), radius: 5, p.card)
            }
            let side = min(cell.width, cell.height - 16)
            let square = UIRect(x: cell.x + (cell.width - side) / 2, y: cell.y, width: side, height: side)
            if let t = try? stripInsets[i].texture(for: digit.input, renderer: painter.renderer) {
                painter.copy(t, to: square)
            }
            painter.text(digit.best != nil ? String(digit.symbol) : "?", in: UIRect(x: cell.x, y: square.maxY, width: cell.width, height: 16),
                         size: 12, weight: .bold, color: i == s.selectedDigit ? p.accent : p.text, align: .center)
        }
    }

    func drawChartCard(_ s: AppState, _ p: Palette) {
        let l = s.layout
        painter.card(l.chartCard, radius: 12, fill: p.card, border: p.cardBorder)
        // The title row ends where the Explain button begins.
        let pad = l.chart.x - l.chartCard.x
        let titleRow = UIRect(x: l.chartCard.x + pad, y: l.explainButton.y, width: l.explainButton.x - 10 - l.chartCard.x - pad, height: l.explainButton.height)
        let titleWidth = painter.text(s.explainVisible ? "Why this answer?" : "Probabilities", in: titleRow, size: 13, color: p.mutedText)
        // A kiosk has no keyboard to press E on.
        drawButton(.explain, s.explainVisible ? "Probabilities" : s.layout.variant == .kiosk ? "Explain" : "Explain (E)", s, p,
                   style: s.explainVisible ? .selected : .normal)
        if let display = s.prediction?.display {
            let info = "model \(display.modelID) · \(String(format: "%.2f ms", display.latencyMs))"
            let width = titleRow.width - titleWidth - 12
            if width > 60 {
                painter.text(painter.fitting(info, width: width, size: 12), in: titleRow, size: 12, color: p.mutedText, align: .right)
            }
        }
        if s.explainVisible {
            drawExplainPanel(s, p)
            return
        }
        let digit = s.selectedDigitPrediction
        let winner = digit?.best
        let fresh = s.isPredictionCurrent
        let labelSize = l.chartTextSize
        // Ten rows: the digits in order, or for letters the ten likeliest characters, likeliest first.
        let classes = digit?.classes ?? s.classes
        let order = digit.map { d in d.probabilities.count > l.chartRows.count ? d.ranked.prefix(l.chartRows.count).map(\.digit) : [] } ?? []
        for (r, row) in l.chartRows.enumerated() {
            let index = r < order.count ? order[r] : row.digit
            let isWinner = index == winner
            let label = classes == .digits || order.isEmpty && digit == nil ? String(row.digit) : String(classes.symbol(index))
            painter.text(classes != .digits && digit == nil ? "" : label, in: row.label, size: labelSize, weight: isWinner ? .bold : .regular,
                         color: isWinner ? p.text : p.mutedText, align: .center)
            painter.fillRounded(row.track, radius: row.track.height / 2, p.barTrack)
            guard let digit, index < digit.probabilities.count else { continue }
            let probability = Double(clampedProbability(digit.probabilities[index]))
            let bar = SceneRenderer.barRect(track: row.track, probability: probability)
            let color = isWinner ? (fresh ? p.winnerBar : p.bar) : p.bar
            painter.fillRounded(bar, radius: min(bar.height, bar.width) / 2, color)
            painter.text(percent(Float(probability)), in: row.value, size: min(13, labelSize), weight: isWinner ? .bold : .regular,
                         color: isWinner ? p.text : p.mutedText, align: .right)
        }
    }

    func drawInset(_ image: GrayImage?, in rect: UIRect, _ p: Palette) {
        let g = SceneRenderer.insetGeometry(rect: rect, scale: painter.scale)
        let frame = PixelRect(x: g.x, y: g.y, w: g.cell * 28, h: g.cell * 28)
        if let image, let t = try? inset.texture(for: image, renderer: painter.renderer) {
            painter.renderer.copy(t, to: frame)
        } else {
            painter.fillPixels(frame, RGBA(0, 0, 0))
        }
        // A faint grid makes the 28x28 pixels countable without hiding their values.
        guard g.cell >= 4 else { return }
        painter.renderer.setColor(p.insetGrid.withAlpha(150))
        for i in 1..<28 {
            let o = Int32(i) * g.cell
            painter.renderer.line(frame.x + o, frame.y, frame.x + o, frame.y + frame.h - 1)
            painter.renderer.line(frame.x, frame.y + o, frame.x + frame.w - 1, frame.y + o)
        }
        painter.renderer.setColor(p.cardBorder)
        painter.renderer.outline(PixelRect(x: frame.x - 1, y: frame.y - 1, w: frame.w + 2, h: frame.h + 2))
    }

    /// The inset is drawn at a whole number of output pixels per model pixel, centered in its
    /// rectangle, so every model pixel is the same size.
    static func insetGeometry(rect: UIRect, scale: Double) -> (x: Int32, y: Int32, cell: Int32) {
        let side = min(rect.width, rect.height) * scale
        let cell = Int32(max(1, (side / 28).rounded(.down)))
        let x = Int32((rect.x * scale + (rect.width * scale - Double(cell * 28)) / 2).rounded())
        let y = Int32((rect.y * scale + (rect.height * scale - Double(cell * 28)) / 2).rounded())
        return (x, y, cell)
    }

    /// The filled part of a chart track for a probability.
    static func barRect(track: UIRect, probability: Double) -> UIRect {
        UIRect(x: track.x, y: track.y, width: track.width * min(max(probability, 0), 1), height: track.height)
    }

    func clampedProbability(_ v: Float) -> Float { v.isFinite ? min(max(v, 0), 1) : 0 }
    func percent(_ v: Float) -> String { String(format: "%.1f%%", Double(clampedProbability(v)) * 100) }
}
