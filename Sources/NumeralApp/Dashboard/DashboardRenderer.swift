import Foundation
import NumeralUI

/// Draws a `DashboardState` into any `Renderer`: the window's (sharing the drawing view's
/// painter and font cache) or an offscreen one for PNG export and tests. Holds only caches.
public final class DashboardRenderer {
    let painter: Painter
    /// Bucket labels follow this zone's wall clock, like the buckets the loader asked for.
    public var timeZone: TimeZone
    var timelineLine = ChartLineTexture()
    var trainLossLine = ChartLineTexture()
    var validationLossLine = ChartLineTexture()
    var trainAccuracyLine = ChartLineTexture()
    var validationAccuracyLine = ChartLineTexture()

    init(painter: Painter, timeZone: TimeZone = .current) {
        self.painter = painter
        self.timeZone = timeZone
    }

    /// Draws a full frame (without presenting it). `pixelScale` is output pixels per layout point.
    public func draw(_ state: DashboardState, theme: ThemeName, pixelScale: Double) {
        painter.scale = pixelScale > 0 && pixelScale.isFinite ? pixelScale : 1
        let p = theme.palette
        painter.clear(p.background)
        drawHeader(state, p)
        drawFilters(state, p)
        if let data = state.data {
            if data.isEmpty {
                drawEmptyState(state, data, p)
            } else {
                drawTiles(state, data, p)
                drawHeatmapCard(state, data, p)
                drawTimelineCard(state, data, p)
                if state.layout.showsSideCards {
                    drawModelCard(state.layout.trainingCurves, model: data.model, problem: data.modelProblem, p)
                    drawBreakdownCard(state, data, p)
                }
                drawImprovementCard(state, p)
                if let cell = state.inspectedCell { drawTooltip(state, cell, p) }
            }
        } else {
            drawPlaceholder(state, p)
        }
        drawStatusBar(state, p)
        painter.endFrame()
    }

    // MARK: - Chrome

    private func drawHeader(_ s: DashboardState, _ p: Palette) {
        let l = s.layout
        painter.fill(l.header, p.header)
        painter.fill(UIRect(x: 0, y: l.header.maxY - 1 / painter.scale, width: l.header.width, height: 1 / painter.scale), p.cardBorder)
        let titleWidth = painter.text("Numeral", in: l.title, size: 21, weight: .bold, color: p.text)
        let rest = UIRect(x: l.title.x + titleWidth + 12, y: l.title.y + 2, width: max(0, l.title.width - titleWidth - 12), height: l.title.height)
        painter.text("Dashboard", in: rest, size: 15, weight: .bold, color: p.accent)
        // A compact window's buttons carry short labels; the status bar names their keys.
        let short = l.isCompact
        let improveLabel = s.improvement.map { $0.cancelRequested ? (short ? "Stopping" : "Cancelling…") : "Cancel" }
            ?? (short ? "Improve" : "Improve model")
        let busy = short ? "…" : "Exporting…"
        drawControl(.improve, improveLabel, s, p, selected: s.isImproving)
        drawControl(.exportPNG, s.exporting.contains(.png) ? busy : short ? "PNG" : "Export PNG", s, p)
        drawControl(.exportCSV, s.exporting.contains(.csv) ? busy : short ? "CSV" : "Export CSV", s, p)
        drawControl(.exportPDF, s.exporting.contains(.pdf) ? busy : short ? "Report" : "Export report", s, p)
        drawControl(.back, short ? "Drawing" : "Back to drawing", s, p, primary: true)
    }

    private func drawFilters(_ s: DashboardState, _ p: Palette) {
        for range in DashboardRange.allCases {
            drawControl(.range(range), range.label, s, p, selected: s.query.range == range, chip: true)
        }
        for input in DashboardInputFilter.allCases {
            drawControl(.input(input), input.label, s, p, selected: s.query.input == input, chip: true)
        }
        let deviceChip = s.layout.rect(of: .device)
        if let chip = deviceChip {
            let label = "Device: " + (s.query.device ?? (s.knownDevices.count > 1 ? "all \(s.knownDevices.count)" : "all"))
            drawControl(.device, painter.fitting(label, width: chip.width - 20, size: 13), s, p, selected: s.query.device != nil, chip: true)
        }
        guard let lastChip = s.layout.rect(of: .input(.api)) else { return }
        let bar = s.layout.filterBar
        let end = deviceChip.map { $0.minX - 12 } ?? bar.maxX
        let info = UIRect(x: lastChip.maxX + 16, y: bar.y, width: max(0, end - lastChip.maxX - 16), height: bar.height)
        var text = ""
        if s.isLoading { text = "Loading…" }
        else if let data = s.data { text = "\(DashboardFormat.count(data.report.summary.total)) predictions" }
        if !text.isEmpty, info.width > painter.measure(text, size: 12.5) {
            painter.text(text, in: info, size: 12.5, color: p.mutedText, align: .right)
        }
    }

    func drawControl(_ id: DashboardControl, _ label: String, _ s: DashboardState, _ p: Palette,
                     selected: Bool = false, primary: Bool = false, chip: Bool = false) {
        guard let r = s.layout.rect(of: id) else { return }
        let hovered = s.hoveredControl == id
        let pressed = s.pressedControl == id && (hovered || s.activePointer != .mouse)
        let radius = chip ? r.height / 2 : 8
        let textColor: RGBA
        if selected || primary {
            painter.fillRounded(r, radius: radius, pressed || hovered ? p.accentHover : p.accent)
            textColor = p.onAccent
        } else {
            painter.card(r, radius: radius, fill: pressed ? p.buttonPressed : (hovered ? p.buttonHover : p.button), border: p.buttonBorder)
            textColor = p.text
        }
        let size: Double = s.layout.isCompact ? (chip ? 12 : 13) : (chip ? 13 : 14)
        painter.text(label, in: r, size: size, weight: selected || primary ? .bold : .regular, color: textColor, align: .center)
    }

    private func drawStatusBar(_ s: DashboardState, _ p: Palette) {
        let bar = s.layout.statusBar
        painter.fill(bar, p.header)
        painter.fill(UIRect(x: bar.x, y: bar.y, width: bar.width, height: 1 / painter.scale), p.cardBorder)
        let inner = bar.insetBy(dx: 16, dy: 0)
        let right = s.isKiosk ? "" : s.data.map { "log: \($0.logPath)" } ?? ""
        var rightWidth = 0.0
        // A message (e.g. where an export went) gets the whole bar; the log's path waits.
        let showsMessage = s.message != nil && s.inspectedCell == nil
        if !right.isEmpty, !showsMessage, painter.measure(right, size: 12) < inner.width * 0.45 {
            rightWidth = painter.text(right, in: inner, size: 12, color: p.mutedText, align: .right)
        }
        let left = UIRect(x: inner.x, y: inner.y, width: inner.width - rightWidth - 16, height: inner.height)
        if let cell = s.inspectedCell, let text = s.describe(cell) {
            painter.text(text, in: left, size: 13, weight: .bold, color: p.text)
        } else if let message = s.message {
            painter.statusMessage(message, in: left, size: 13, palette: p)
        } else {
            let hint = s.isKiosk
                ? "Tap a cell for details · tap the chips to filter · Back returns to drawing"
                : "Hover or tap a cell for details · 1–4 date range · V device · I improve · E export PNG · X export CSV · P export report · R reload · D back · Q quit"
            painter.text(painter.fitting(hint, width: left.width, size: 12), in: left, size: 12, color: p.mutedText)
        }
    }

    // MARK: - States without charts

    private func drawPlaceholder(_ s: DashboardState, _ p: Palette) {
        let body = s.layout.body
        painter.card(body, radius: 12, fill: p.card, border: p.cardBorder)
        let c = body.center
        if let problem = s.loadError {
            painter.text("Could not read the prediction log", in: UIRect(x: body.x, y: c.y - 30, width: body.width, height: 30),
                         size: 20, weight: .bold, color: p.error, align: .center)
            painter.text(problem, in: UIRect(x: body.x + 20, y: c.y + 6, width: body.width - 40, height: 20),
                         size: 13, color: p.mutedText, align: .center)
        } else {
            painter.text("Loading the prediction log…", in: UIRect(x: body.x, y: c.y - 15, width: body.width, height: 30),
                         size: 18, color: p.mutedText, align: .center)
        }
    }

    private func drawEmptyState(_ s: DashboardState, _ data: DashboardData, _ p: Palette) {
        let body = s.layout.body
        painter.card(body, radius: 12, fill: p.card, border: p.cardBorder)
        let c = body.center
        let filtered = s.query != DashboardQuery()
        let headline = filtered ? "No predictions match these filters"
            : "No predictions yet — draw a digit and tell Numeral if it was right"
        let hint = filtered ? "Choose All time and All inputs to see the whole log."
            : "Press D or “Back to drawing”, draw a digit, then press ✓ Correct or the right digit. This page updates by itself."
        painter.text(headline, in: UIRect(x: body.x + 20, y: c.y - 48, width: body.width - 40, height: 34),
                     size: 22, weight: .bold, color: p.text, align: .center)
        painter.text(hint, in: UIRect(x: body.x + 20, y: c.y - 6, width: body.width - 40, height: 22),
                     size: 14, color: p.mutedText, align: .center)
        let model: String
        if let m = data.model {
            model = "Model \(m.id)" + (m.mnistTestAccuracy.map { " · MNIST test accuracy \(DashboardFormat.percent($0, decimals: 2))" } ?? "")
        } else {
            model = data.modelProblem ?? ""
        }
        painter.text(fitted(model, width: body.width - 40, size: 12.5), in: UIRect(x: body.x + 20, y: c.y + 34, width: body.width - 40, height: 20),
                     size: 12.5, color: p.mutedText, align: .center)
    }

    // MARK: - Headline tiles

    private func drawTiles(_ s: DashboardState, _ data: DashboardData, _ p: Palette) {
        let tiles = s.layout.tiles
        guard tiles.count == 5 else { return }
        let accuracySub = data.report.accuracy.labelled == 0 ? "no feedback yet"
            : "\(DashboardFormat.count(data.report.accuracy.correct)) of \(DashboardFormat.count(data.report.accuracy.labelled)) right"
        drawTile(tiles[0], "Accuracy (feedback)", DashboardFormat.percent(data.report.accuracy.accuracy), accuracySub, p,
                 valueColor: data.report.accuracy.accuracy == nil ? p.mutedText : p.accent)
        drawTile(tiles[1], "Predictions", DashboardFormat.count(data.report.summary.total),
                 "\(DashboardFormat.count(data.report.accuracy.labelled)) with feedback", p)
        let lowText = data.report.summary.lowConfidenceShare.map {
            "\(DashboardFormat.percent($0)) below \(DashboardFormat.percent(data.report.summary.lowConfidenceThreshold, decimals: 0))"
        } ?? "—"
        drawTile(tiles[2], "Mean confidence", DashboardFormat.percent(data.report.summary.meanConfidence), lowText, p)
        drawTile(tiles[3], "Latency p50", DashboardFormat.milliseconds(data.report.summary.latencyP50Ms),
                 "p95 \(DashboardFormat.milliseconds(data.report.summary.latencyP95Ms))", p)
        drawTile(tiles[4], "MNIST test accuracy", DashboardFormat.percent(data.model?.mnistTestAccuracy, decimals: 2),
                 data.model?.id ?? "no model card", p)
    }

    private func drawTile(_ r: UIRect, _ label: String, _ value: String, _ sub: String, _ p: Palette, valueColor: RGBA? = nil) {
        painter.card(r, radius: 12, fill: p.card, border: p.cardBorder)
        // A compact tile (58 high instead of 74) scales its three lines down together.
        let k = min(1, r.height / 74)
        let inner = r.insetBy(dx: 14 * k, dy: 9 * k)
        let small = max(10, 12 * k)
        painter.text(fitted(label, width: inner.width, size: small), in: UIRect(x: inner.x, y: inner.y, width: inner.width, height: 16 * k),
                     size: small, color: p.mutedText)
        painter.text(fitted(value, width: inner.width, size: 24 * k, weight: .bold), in: UIRect(x: inner.x, y: inner.y + 16 * k, width: inner.width, height: 30 * k),
                     size: 24 * k, weight: .bold, color: valueColor ?? p.text)
        painter.text(fitted(sub, width: inner.width, size: small), in: UIRect(x: inner.x, y: inner.y + 46 * k, width: inner.width, height: 14 * k),
                     size: small, color: p.mutedText)
    }

    /// `text` shortened with an ellipsis to fit `width` points.
    func fitted(_ text: String, width: Double, size: Double, weight: FontBook.Weight = .regular) -> String {
        guard painter.measure(text, size: size, weight: weight) > width else { return text }
        var chars = Array(text)
        while chars.count > 1 {
            chars.removeLast()
            let candidate = String(chars) + "…"
            if painter.measure(candidate, size: size, weight: weight) <= width { return candidate }
        }
        return "…"
    }

    func cardTitle(_ card: UIRect, _ title: String, detail: String?, _ p: Palette) {
        let row = UIRect(x: card.x + DashboardLayout.cardPadding, y: card.y + 8,
                         width: card.width - 2 * DashboardLayout.cardPadding, height: 22)
        let width = painter.text(title, in: row, size: 13.5, weight: .bold, color: p.text)
        if let detail {
            let available = row.width - width - 12
            if available > 40 {
                painter.text(fitted(detail, width: available, size: 12), in: row, size: 12, color: p.mutedText, align: .right)
            }
        }
    }
}
