import NumeralUI

/// The narrow card on the right: predictions per input type and per digit, and the pairs
/// of digits the model mixes up most.
extension DashboardRenderer {
    func drawBreakdownCard(_ s: DashboardState, _ data: DashboardData, _ p: Palette) {
        let card = s.layout.breakdownCard
        painter.card(card, radius: 12, fill: p.card, border: p.cardBorder)
        let inner = UIRect(x: card.x + 14, y: card.y + 8, width: card.width - 28, height: card.height - 16)
        var y = inner.y

        section("Inputs", at: &y, inner, p)
        let maxType = max(1, data.countsByInputType.map(\.count).max() ?? 1)
        for entry in data.countsByInputType {
            let row = UIRect(x: inner.x, y: y, width: inner.width, height: 20)
            painter.text(entry.type.rawValue, in: UIRect(x: row.x, y: row.y, width: 58, height: row.height), size: 12, color: p.text)
            let countWidth = 52.0
            let track = UIRect(x: row.x + 62, y: row.y + 6, width: max(0, row.width - 62 - countWidth - 6), height: 8)
            painter.fillRounded(track, radius: 4, p.barTrack)
            if entry.count > 0 {
                let bar = UIRect(x: track.x, y: track.y, width: max(8, track.width * Double(entry.count) / Double(maxType)), height: track.height)
                painter.fillRounded(bar, radius: 4, p.bar)
            }
            painter.text(DashboardFormat.count(entry.count), in: row, size: 12, color: p.mutedText, align: .right)
            y += 21
        }
        y += 8
        // A fleet's log: predictions per device (the few largest), when there is more than one.
        if data.countsByDevice.count > 1, y + 26 + 21 * 2 <= inner.maxY - 96 {
            section("Devices", at: &y, inner, p)
            let maxDevice = max(1, data.countsByDevice.map(\.count).max() ?? 1)
            for entry in data.countsByDevice.prefix(4) where y + 21 <= inner.maxY - 96 {
                let row = UIRect(x: inner.x, y: y, width: inner.width, height: 20)
                painter.text(painter.fitting(entry.name, width: 80, size: 12), in: UIRect(x: row.x, y: row.y, width: 84, height: row.height),
                             size: 12, color: p.text)
                let track = UIRect(x: row.x + 88, y: row.y + 6, width: max(0, row.width - 88 - 58), height: 8)
                painter.fillRounded(track, radius: 4, p.barTrack)
                painter.fillRounded(UIRect(x: track.x, y: track.y, width: max(8, track.width * Double(entry.count) / Double(maxDevice)), height: track.height),
                                    radius: 4, p.bar)
                painter.text(DashboardFormat.count(entry.count), in: row, size: 12, color: p.mutedText, align: .right)
                y += 21
            }
            y += 8
        }

        let chartHeight = 54.0
        // Short windows give this column's lower part to the improvement card: sections that
        // do not fit are left out whole rather than drawn over it.
        guard y + 26 + chartHeight + 16 <= inner.maxY else { return }
        section("Predicted digits", at: &y, inner, p)
        let columns = UIRect(x: inner.x, y: y, width: inner.width, height: chartHeight)
        let maxDigit = max(1, data.report.summary.predictedDigitCounts.max() ?? 1)
        let columnWidth = columns.width / 10
        for d in 0..<min(10, data.report.summary.predictedDigitCounts.count) {
            let count = data.report.summary.predictedDigitCounts[d]
            let barArea = UIRect(x: columns.x + Double(d) * columnWidth + columnWidth * 0.18, y: columns.y,
                                 width: columnWidth * 0.64, height: chartHeight - 16)
            let height = count == 0 ? 0 : max(2, barArea.height * Double(count) / Double(maxDigit))
            painter.fillRounded(UIRect(x: barArea.x, y: barArea.maxY - height, width: barArea.width, height: height),
                                radius: 2, p.winnerBar.withAlpha(200))
            painter.text(String(d), in: UIRect(x: columns.x + Double(d) * columnWidth, y: barArea.maxY + 1, width: columnWidth, height: 14),
                         size: 11, color: p.mutedText, align: .center)
        }
        y += chartHeight + 4
        if data.report.summary.multiDigitCount > 0 {
            painter.text("+ \(DashboardFormat.count(data.report.summary.multiDigitCount)) multi-digit numbers",
                         in: UIRect(x: inner.x, y: y, width: inner.width, height: 16), size: 11.5, color: p.mutedText)
            y += 18
        }
        y += 8

        guard y + 26 + 20 <= inner.maxY else { return }
        section("Most confused", at: &y, inner, p)
        let confused = data.report.confusedReadings
        if confused.isEmpty {
            let text = data.report.accuracy.labelled == 0 ? "No feedback yet." : "No mistakes in this range."
            painter.text(text, in: UIRect(x: inner.x, y: y, width: inner.width, height: 18), size: 12, color: p.mutedText)
            return
        }
        let maxPair = max(1, confused.first?.count ?? 1)
        for pair in confused where y + 20 <= inner.maxY {
            let row = UIRect(x: inner.x, y: y, width: inner.width, height: 20)
            painter.text("\(pair.actual) read as \(pair.predicted)", in: UIRect(x: row.x, y: row.y, width: 92, height: row.height),
                         size: 12, color: p.text)
            let track = UIRect(x: row.x + 96, y: row.y + 6, width: max(0, row.width - 96 - 44), height: 8)
            let bar = UIRect(x: track.x, y: track.y, width: max(6, track.width * Double(pair.count) / Double(maxPair)), height: track.height)
            painter.fillRounded(bar, radius: 4, p.heatMistake.withAlpha(200))
            painter.text("\(DashboardFormat.count(pair.count))×", in: row, size: 12, color: p.mutedText, align: .right)
            y += 21
        }
    }

    private func section(_ title: String, at y: inout Double, _ inner: UIRect, _ p: Palette) {
        painter.text(title, in: UIRect(x: inner.x, y: y, width: inner.width, height: 22), size: 13.5, weight: .bold, color: p.text)
        y += 26
    }
}
