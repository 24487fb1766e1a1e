import NumeralUI

/// The accuracy-over-time chart and the model's training curves.
extension DashboardRenderer {
    func drawTimelineCard(_ s: DashboardState, _ data: DashboardData, _ p: Palette) {
        let card = s.layout.timelineCard
        painter.card(card, radius: 12, fill: p.card, border: p.cardBorder)
        let unit = data.report.timeline.granularity == .hour ? "per hour" : "per day"
        cardTitle(card, "Accuracy over time", detail: "\(unit) · bars: predictions with feedback", p)

        let geometry = TimelineChartGeometry(plot: s.layout.timelinePlot, timeline: data.report.timeline)
        let plot = geometry.plot
        guard plot.width > 20, plot.height > 20 else { return }
        guard !geometry.lineRuns.isEmpty else {
            painter.text("No feedback in this range yet: confirm or correct predictions to chart accuracy.",
                         in: UIRect(x: card.x + 14, y: plot.center.y - 10, width: card.width - 28, height: 20),
                         size: 12.5, color: p.mutedText, align: .center)
            return
        }
        // Horizontal guides at the floor, the middle and 100%.
        let floor = geometry.accuracyFloor
        for value in [floor, (floor + 1) / 2, 1] {
            let y = geometry.accuracyScale(value)
            painter.fill(UIRect(x: plot.x, y: y, width: plot.width, height: 1 / painter.scale), p.cardBorder)
            painter.text(DashboardFormat.percent(value, decimals: 0), in: UIRect(x: plot.x - 42, y: y - 8, width: 36, height: 16),
                         size: 11, color: p.mutedText, align: .right)
        }
        painter.text(DashboardFormat.count(geometry.maxLabelled),
                     in: UIRect(x: plot.maxX + 4, y: plot.maxY - plot.height * TimelineChartGeometry.barShare - 8, width: 30, height: 16),
                     size: 11, color: p.mutedText)

        for i in geometry.buckets.indices {
            if let bar = geometry.bar(bucket: i) {
                painter.fillRounded(bar, radius: min(3, bar.width / 2), p.bar.withAlpha(150))
            }
        }
        timelineLine.draw(geometry.lineRuns, in: plot, lineWidth: 2.5, dotRadius: geometry.slotWidth >= 10 ? 3.5 : 0,
                          color: p.accent, painter: painter)

        let maxLabels = max(2, Int(plot.width / 64))
        for i in geometry.labelledBuckets(maxLabels: maxLabels) {
            let label = DashboardFormat.bucketLabel(geometry.buckets[i].start, granularity: data.report.timeline.granularity, timeZone: timeZone)
            let x = geometry.x(bucket: i)
            painter.text(label, in: UIRect(x: x - 32, y: plot.maxY + 3, width: 64, height: 15), size: 11,
                         color: p.mutedText, align: .center)
        }
    }

    /// The "Model training" card: loss and accuracy per epoch, train and validation. Drawn on
    /// the dashboard and, alone, as the curves picture `numeral train` saves.
    func drawModelCard(_ layout: TrainingCurvesLayout, model: ModelSummary?, problem: String?, _ p: Palette) {
        let card = layout.card
        painter.card(card, radius: 12, fill: p.card, border: p.cardBorder)
        guard let model else {
            cardTitle(card, "Model", detail: nil, p)
            painter.text(fitted(problem ?? "No model card found.", width: card.width - 28, size: 12.5),
                         in: UIRect(x: card.x + 14, y: card.center.y - 10, width: card.width - 28, height: 20),
                         size: 12.5, color: p.mutedText, align: .center)
            return
        }
        let test = model.mnistTestAccuracy.map { " · MNIST test \(DashboardFormat.percent($0, decimals: 2))" } ?? ""
        cardTitle(card, "Model training", detail: "\(model.id)\(test)", p)

        // Under the title: each plot's name over its axis, and which color is which series.
        let row = UIRect(x: card.x + 14, y: card.y + 32, width: card.width - 28, height: 16)
        painter.text("Loss", in: UIRect(x: row.x, y: row.y, width: 60, height: row.height), size: 11.5, weight: .bold, color: p.mutedText)
        let accuracyLabelX = layout.accuracyPlot.x - 42
        let accuracyWidth = painter.text("Accuracy", in: UIRect(x: accuracyLabelX, y: row.y, width: 80, height: row.height), size: 11.5,
                                         weight: .bold, color: p.mutedText)
        let legendWidth = 150.0
        if row.maxX - legendWidth > accuracyLabelX + accuracyWidth + 12 {
            var x = row.maxX - legendWidth
            for (label, color) in [("train", p.accent), ("validation", p.chartSecondary)] {
                painter.fillRounded(UIRect(x: x, y: row.center.y - 1.5, width: 14, height: 3), radius: 1.5, color)
                x += 18
                x += painter.text(label, in: UIRect(x: x, y: row.y, width: 90, height: row.height), size: 11, color: p.mutedText) + 14
            }
        }

        guard !model.epochs.isEmpty else {
            painter.text("The model card lists no training epochs.", in: UIRect(x: card.x + 14, y: card.center.y, width: card.width - 28, height: 20),
                         size: 12.5, color: p.mutedText, align: .center)
            return
        }
        let epochs = model.epochs.map(\.epoch)
        let losses = (model.epochs.map(\.trainLoss), model.epochs.map(\.validationLoss))
        let accuracies = (model.epochs.map(\.trainAccuracy), model.epochs.map(\.validationAccuracy))
        let lossChart = EpochChartGeometry(plot: layout.lossPlot, epochs: epochs, series: [losses.0, losses.1], limits: (0, .infinity))
        let accuracyChart = EpochChartGeometry(plot: layout.accuracyPlot, epochs: epochs, series: [accuracies.0, accuracies.1],
                                               limits: (0, 1))
        drawEpochChart(lossChart, values: losses, lines: (trainLossLine, validationLossLine),
                       format: { String(format: "%.2f", $0) }, p)
        drawEpochChart(accuracyChart, values: accuracies, lines: (trainAccuracyLine, validationAccuracyLine),
                       format: { DashboardFormat.percent($0, decimals: 1) }, p)
    }

    private func drawEpochChart(_ g: EpochChartGeometry, values: ([Double], [Double]),
                                lines: (ChartLineTexture, ChartLineTexture), format: (Double) -> String, _ p: Palette) {
        let plot = g.plot
        guard plot.width > 20, plot.height > 20 else { return }
        painter.fill(UIRect(x: plot.x, y: plot.maxY, width: plot.width, height: 1 / painter.scale), p.cardBorder)
        painter.fill(UIRect(x: plot.x, y: plot.y, width: 1 / painter.scale, height: plot.height), p.cardBorder)
        let (low, high) = g.yScale.domain
        painter.text(format(high), in: UIRect(x: plot.x - 46, y: plot.y - 7, width: 42, height: 14), size: 10.5,
                     color: p.mutedText, align: .right)
        painter.text(format(low), in: UIRect(x: plot.x - 46, y: plot.maxY - 7, width: 42, height: 14), size: 10.5,
                     color: p.mutedText, align: .right)
        let dot = g.epochs.count <= 30 ? 2.5 : 0
        lines.0.draw([g.points(values.0)], in: plot, lineWidth: 2, dotRadius: dot, color: p.accent, painter: painter)
        lines.1.draw([g.points(values.1)], in: plot, lineWidth: 2, dotRadius: dot, color: p.chartSecondary, painter: painter)
        if let first = g.epochs.first, let last = g.epochs.last {
            let row = UIRect(x: plot.x, y: plot.maxY + 3, width: plot.width, height: 14)
            painter.text("epoch \(first)", in: row, size: 10.5, color: p.mutedText)
            if last != first { painter.text("\(last)", in: row, size: 10.5, color: p.mutedText, align: .right) }
        }
    }
}
