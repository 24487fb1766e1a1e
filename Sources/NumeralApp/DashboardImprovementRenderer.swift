import NumeralUI

/// The "Model improvement" card: a progress bar while a fine-tune runs, otherwise the latest
/// report (accuracy before and after on the user's held-out drawings and on MNIST, and the verdict).
extension DashboardRenderer {
    func drawImprovementCard(_ s: DashboardState, _ p: Palette) {
        let card = s.layout.improvementCard
        guard card.height > 60 else { return }
        painter.card(card, radius: 12, fill: p.card, border: p.cardBorder)
        let inner = UIRect(x: card.x + DashboardLayout.cardPadding, y: card.y, width: card.width - 2 * DashboardLayout.cardPadding,
                           height: card.height - 8)
        if let run = s.improvement {
            cardTitle(card, "Improving the model", detail: nil, p)
            drawProgress(run, s.layout.improvementProgressBar, inner, p)
        } else if let problem = s.improvementProblem {
            cardTitle(card, "Improvement failed", detail: nil, p)
            var y = inner.y + DashboardLayout.cardTitleHeight + 4
            let size = readableSize(problem, width: inner.width, height: inner.maxY - y, sizes: [11.5, 10.5, 9.5, 8.5])
            wrapped(problem, x: inner.x, y: &y, width: inner.width, maxY: inner.maxY, size: size, color: p.error)
        } else if let report = s.lastImprovement {
            cardTitle(card, "Improvement", detail: report.candidateID, p)
            drawReport(report, inner, p)
        } else {
            cardTitle(card, "Model improvement", detail: nil, p)
            var y = inner.y + DashboardLayout.cardTitleHeight + 4
            wrapped("No improvement run yet. “Improve model” fine-tunes on your corrections and keeps the result "
                    + "only if it reads your drawings and MNIST no worse.", x: inner.x, y: &y, width: inner.width,
                    maxY: inner.maxY, size: 12, color: p.mutedText)
        }
    }

    private func drawProgress(_ run: ImprovementRun, _ bar: UIRect, _ inner: UIRect, _ p: Palette) {
        let phase = run.cancelRequested ? "Cancelling…" : run.phase
        painter.text(fitted(phase, width: inner.width, size: 12.5), in: UIRect(x: inner.x, y: bar.y - 26, width: inner.width, height: 20),
                     size: 12.5, color: p.text)
        painter.fillRounded(bar, radius: bar.height / 2, p.barTrack)
        let fraction = min(max(run.fraction, 0), 1)
        if fraction > 0 {
            painter.fillRounded(UIRect(x: bar.x, y: bar.y, width: max(bar.height, bar.width * fraction), height: bar.height),
                                radius: bar.height / 2, run.cancelRequested ? p.mutedText : p.accent)
        }
        let row = UIRect(x: inner.x, y: bar.maxY + 6, width: inner.width, height: 18)
        painter.text(DashboardFormat.percent(fraction, decimals: 0), in: row, size: 12, weight: .bold, color: p.text)
        painter.text("Cancel stops it", in: row, size: 12, color: p.mutedText, align: .right)
        var y = row.maxY + 6
        wrapped("The app keeps recognizing with the current model meanwhile.", x: inner.x, y: &y, width: inner.width,
                maxY: inner.maxY, size: 11.5, color: p.mutedText)
    }

    private func drawReport(_ r: ImprovementReport, _ inner: UIRect, _ p: Palette) {
        var y = inner.y + DashboardLayout.cardTitleHeight + 2
        let verdict = r.adopted ? "Adopted · now active" : "Kept aside · not used"
        painter.text(fitted(verdict, width: inner.width, size: 13, weight: .bold), in: UIRect(x: inner.x, y: y, width: inner.width, height: 20),
                     size: 13, weight: .bold, color: r.adopted ? p.success : p.warning)
        y += 24
        for (name, set) in [("Your drawings", r.heldOutFeedback), ("MNIST test", r.mnistTest)] {
            let row = UIRect(x: inner.x, y: y, width: inner.width, height: 18)
            let change = "\(DashboardFormat.percent(set.before, decimals: 2)) → \(DashboardFormat.percent(set.after, decimals: 2))"
            let changeWidth = painter.text(change, in: row, size: 12, weight: .bold,
                                           color: set.after >= set.before ? p.text : p.error, align: .right)
            painter.text(fitted(name, width: max(0, row.width - changeWidth - 8), size: 12),
                         in: row, size: 12, color: p.mutedText)
            y += 20
        }
        y += 4
        // The reason is the point of the card: smaller type before it is ever cut short.
        let size = readableSize(r.reason, width: inner.width, height: inner.maxY - y, sizes: [11.5, 10.5, 9.5, 8.5])
        wrapped(r.reason, x: inner.x, y: &y, width: inner.width, maxY: inner.maxY, size: size, color: p.mutedText)
    }

    /// The largest of `sizes` at which `text`, word-wrapped to `width`, fits in `height`
    /// (the smallest if none does).
    private func readableSize(_ text: String, width: Double, height: Double, sizes: [Double]) -> Double {
        let words = text.split(separator: " ").map(String.init)
        for size in sizes {
            var lines = 0
            var line = ""
            for word in words {
                let candidate = line.isEmpty ? word : line + " " + word
                if painter.measure(candidate, size: size) <= width || line.isEmpty {
                    line = candidate
                } else {
                    lines += 1
                    line = word
                }
            }
            if !line.isEmpty { lines += 1 }
            if Double(lines) * (size + 5) <= height { return size }
        }
        return sizes.last ?? 11.5
    }

    /// Draws `text` word-wrapped from `y` down, as many lines as fit above `maxY`; the last one
    /// that fits ends in an ellipsis if text remains.
    private func wrapped(_ text: String, x: Double, y: inout Double, width: Double, maxY: Double, size: Double, color: RGBA) {
        let lineHeight = size + 5
        var words = text.split(separator: " ").map(String.init)[...]
        while !words.isEmpty, y + lineHeight <= maxY {
            var line = words.removeFirst()
            while let next = words.first, painter.measure(line + " " + next, size: size) <= width {
                line += " " + next
                words.removeFirst()
            }
            if !words.isEmpty, y + 2 * lineHeight > maxY { line = fitted(line + " " + words.joined(separator: " "), width: width, size: size) }
            painter.text(fitted(line, width: width, size: size), in: UIRect(x: x, y: y, width: width, height: lineHeight),
                         size: size, color: color)
            y += lineHeight
        }
    }
}
