import NumeralUI

/// The confusion heatmap card and its tooltip.
extension DashboardRenderer {
    func drawHeatmapCard(_ s: DashboardState, _ data: DashboardData, _ p: Palette) {
        let l = s.layout
        let card = l.heatmapCard
        painter.card(card, radius: 12, fill: p.card, border: p.cardBorder)
        let singleDigit = data.report.confusion.joined().reduce(0, +)
        cardTitle(card, "Confusion", detail: "rows: digit written · columns: digit read", p)

        let grid = l.heatmap
        let side = l.heatmapCellSide
        for d in 0..<10 {
            let x = grid.x + Double(d) * side, y = grid.y + Double(d) * side
            painter.text(String(d), in: UIRect(x: x, y: grid.y - 20, width: side, height: 18), size: 12.5, weight: .bold,
                         color: p.mutedText, align: .center)
            painter.text(String(d), in: UIRect(x: grid.x - 20, y: y, width: 16, height: side), size: 12.5, weight: .bold,
                         color: p.mutedText, align: .center)
        }

        let countSize = min(13, max(8, side * 0.3))
        let gap = max(1, side * 0.04)
        for actual in 0..<10 {
            for predicted in 0..<10 {
                let cell = HeatmapCell(actual: actual, predicted: predicted)
                let r = l.rect(of: cell).insetBy(dx: gap / 2, dy: gap / 2)
                let rate = data.rowRate(actual: actual, predicted: predicted)
                painter.fillRounded(r, radius: min(4, side * 0.12),
                                    HeatmapColor.fill(rate: rate, onDiagonal: actual == predicted, palette: p))
                let count = data.count(actual: actual, predicted: predicted)
                if count > 0 {
                    painter.text(compactCount(count), in: r, size: countSize, weight: actual == predicted ? .bold : .regular,
                                 color: HeatmapColor.text(rate: rate, palette: p), align: .center)
                }
            }
        }
        if let cell = s.inspectedCell {
            let r = l.rect(of: cell)
            let t = max(2, 2 / painter.scale)
            for edge in [UIRect(x: r.x, y: r.y, width: r.width, height: t), UIRect(x: r.x, y: r.maxY - t, width: r.width, height: t),
                         UIRect(x: r.x, y: r.y, width: t, height: r.height), UIRect(x: r.maxX - t, y: r.y, width: t, height: r.height)] {
                painter.fill(edge, p.text)
            }
        }
        drawHeatmapLegend(UIRect(x: grid.x, y: grid.maxY + 8, width: grid.width, height: 14),
                          labelled: singleDigit, p)
    }

    /// Two small ramps: what the colors of correct reads and mistakes mean.
    private func drawHeatmapLegend(_ r: UIRect, labelled: Int, _ p: Palette) {
        guard r.width > 200 else { return }
        let rampWidth = min(70, r.width / 6)
        var x = r.x
        for (label, diagonal) in [("correct", true), ("mistaken", false)] {
            let labelWidth = painter.text(label, in: UIRect(x: x, y: r.y, width: 70, height: r.height), size: 11, color: p.mutedText)
            x += labelWidth + 6
            let steps = 10
            for i in 0..<steps {
                let rate = Double(i + 1) / Double(steps)
                painter.fill(UIRect(x: x + Double(i) * rampWidth / Double(steps), y: r.y + 3, width: rampWidth / Double(steps) + 0.5, height: r.height - 6),
                             HeatmapColor.fill(rate: rate * rate, onDiagonal: diagonal, palette: p))
            }
            x += rampWidth + 18
        }
        let note = "\(DashboardFormat.count(labelled)) labelled"
        if r.maxX - x > painter.measure(note, size: 11) {
            painter.text(note, in: UIRect(x: x, y: r.y, width: r.maxX - x, height: r.height), size: 11, color: p.mutedText, align: .right)
        }
    }

    /// Counts above four digits as "12k" so they fit a cell.
    private func compactCount(_ n: Int) -> String {
        if n >= 10_000 { return "\(n / 1000)k" }
        return String(n)
    }

    /// The inspected cell's numbers in a box beside it, kept inside the window.
    func drawTooltip(_ s: DashboardState, _ cell: HeatmapCell, _ p: Palette) {
        guard let text = s.describe(cell) else { return }
        let anchor = s.layout.rect(of: cell)
        let width = painter.measure(text, size: 13, weight: .bold) + 24
        let height = 32.0
        var x = anchor.maxX + 8, y = anchor.maxY + 4
        if x + width > s.layout.size.width - 8 { x = anchor.minX - width - 8 }
        if y + height > s.layout.statusBar.minY - 4 { y = anchor.minY - height - 4 }
        x = max(8, x)
        let box = UIRect(x: x, y: y, width: width, height: height)
        painter.fillRounded(box.insetBy(dx: -1, dy: -1), radius: 9, p.text.withAlpha(60))
        painter.card(box, radius: 8, fill: p.header, border: p.cardBorder)
        painter.text(text, in: box, size: 13, weight: .bold, color: p.text, align: .center)
    }
}
