import Foundation
import NumeralRecognition
import NumeralStore
import NumeralUI
import NumeralVision

/// The printable report as a PDF: page 1 the period, filters, overall accuracy, summary tiles,
/// confusion heat map and accuracy over time; page 2 the most confused pairs with example inputs
/// from the log and the active model's card with its training curves. Vector charts, real text.
public struct ReportDocument {
    public var paper: Paper
    static let margin = 42.0
    /// Training and validation in the dashboard's colours (its palette's accent and second chart
    /// colour): the two used to be the other way round here.
    static let trainingColor = cairo(Palette.light.accent), validationColor = cairo(Palette.light.chartSecondary)

    private static func cairo(_ c: RGBA) -> CairoCanvas.Color {
        .init(Double(c.r) / 255, Double(c.g) / 255, Double(c.b) / 255, Double(c.a) / 255)
    }

    public init(paper: Paper = .a4) { self.paper = paper }

    /// Writes the PDF; returns the canvas, whose `placedText` says what text went where.
    @discardableResult
    public func write(_ content: ReportContent, to path: String) throws -> CairoCanvas {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            throw ReportError.cannotWrite(path: path, reason: "the folder \(dir) does not exist")
        }
        let canvas = try CairoCanvas.pdf(path: path, width: paper.width, height: paper.height)
        firstPage(content, on: canvas)
        canvas.newPage()
        secondPage(content, on: canvas)
        try canvas.finish()
        return canvas
    }

    private var contentWidth: Double { paper.width - 2 * Self.margin }

    // MARK: page 1

    private func firstPage(_ c: ReportContent, on canvas: CairoCanvas) {
        let m = Self.margin, w = contentWidth
        var y = m
        canvas.text("Numeral report", in: .init(x: m, y: y, width: w * 0.6, height: 28), size: 22, bold: true)
        canvas.text("Generated \(ReportFormat.minute(c.generated)) UTC", in: .init(x: m + w * 0.6, y: y + 8, width: w * 0.4, height: 14),
                    size: 9, color: .gray(0.4), align: .right)
        y += 36
        let rows: [(String, String)] = [
            ("Period", ReportFormat.period(filter: c.analytics.filter, first: c.firstRecord, last: c.lastRecord)),
            ("Filters", ReportFormat.filters(c.analytics.filter)),
            ("Log", c.logPath),
        ]
        for (label, value) in rows {
            canvas.text(label, in: .init(x: m, y: y, width: 60, height: 14), size: 9.5, bold: true, color: .gray(0.3))
            canvas.text(value, in: .init(x: m + 62, y: y, width: w - 62, height: 14), size: 9.5)
            y += 16
        }
        y += 10

        // Overall accuracy, large.
        let acc = c.analytics.accuracy
        canvas.fill(.init(x: m, y: y, width: w, height: 58), .init(0.93, 0.96, 1))
        canvas.text("Overall accuracy", in: .init(x: m + 12, y: y + 8, width: 180, height: 14), size: 10, color: .gray(0.3))
        canvas.text(acc.accuracy.map(ReportFormat.percent) ?? "no feedback yet", in: .init(x: m + 12, y: y + 22, width: 180, height: 30),
                    size: 24, bold: true, color: .init(0.1, 0.3, 0.6))
        canvas.text(acc.labelled == 0 ? "No prediction in this period has feedback, so accuracy is unknown."
                        : "\(acc.correct) of \(acc.labelled) predictions with feedback were right.",
                    in: .init(x: m + 200, y: y + 22, width: w - 212, height: 26), size: 11)
        y += 70

        // Summary tiles.
        let s = c.analytics.summary
        let tiles: [(String, String)] = [
            ("Predictions", "\(s.total)"),
            ("With feedback", "\(s.labelled)"),
            ("Mean confidence", s.meanConfidence.map(ReportFormat.percent) ?? "–"),
            ("Below \(ReportFormat.percent(s.lowConfidenceThreshold)) confidence", s.lowConfidenceShare.map(ReportFormat.percent) ?? "–"),
            ("Latency p50", s.latencyP50Ms.map(ReportFormat.milliseconds) ?? "–"),
            ("Latency p95", s.latencyP95Ms.map(ReportFormat.milliseconds) ?? "–"),
        ]
        let gap = 8.0, tileW = (w - gap * 2) / 3, tileH = 46.0
        for (i, (label, value)) in tiles.enumerated() {
            let r = CairoCanvas.Rect(x: m + Double(i % 3) * (tileW + gap), y: y + Double(i / 3) * (tileH + gap), width: tileW, height: tileH)
            canvas.stroke(r, .gray(0.8), lineWidth: 0.8)
            canvas.text(label, in: .init(x: r.x + 8, y: r.y + 5, width: r.width - 16, height: 13), size: 8.5, color: .gray(0.35))
            canvas.text(value, in: .init(x: r.x + 8, y: r.y + 19, width: r.width - 16, height: 22), size: 16, bold: true)
        }
        y += 2 * tileH + gap + 16
        let types = InputType.allCases.map { "\($0.rawValue) \(s.countsByInputType[$0.rawValue] ?? 0)" }.joined(separator: " · ")
        canvas.text("By input type: \(types) · numbers of several digits: \(s.multiDigitCount)",
                    in: .init(x: m, y: y - 10, width: w, height: 12), size: 8.5, color: .gray(0.35))
        y += 8

        // Confusion heat map and the most confused pairs beside it.
        canvas.text("Confusion matrix (single digits with feedback)", in: .init(x: m, y: y, width: w * 0.62, height: 16), size: 11, bold: true)
        canvas.text("Most confused", in: .init(x: m + w * 0.66, y: y, width: w * 0.34, height: 16), size: 11, bold: true)
        y += 20
        let chartSide = min(w * 0.62, 250)
        ConfusionChart(matrix: c.analytics.confusion).draw(in: .init(x: m, y: y, width: chartSide, height: chartSide), on: canvas)
        var ly = y + 4
        let confused = c.analytics.confusedReadings
        if confused.isEmpty {
            canvas.text("No mistakes with feedback.", in: .init(x: m + w * 0.66, y: ly, width: w * 0.34, height: 14), size: 9.5)
        }
        for p in confused.prefix(10) {
            canvas.text("\(p.actual) read as \(p.predicted)", in: .init(x: m + w * 0.66, y: ly, width: w * 0.22, height: 14), size: 9.5)
            canvas.text("\(p.count)×", in: .init(x: m + w * 0.88, y: ly, width: w * 0.12, height: 14), size: 9.5, bold: true, align: .right)
            ly += 17
        }
        y += chartSide + 14

        // Accuracy over time.
        let timeline = c.analytics.timeline
        let values = timeline.buckets.map { $0.accuracy.map { $0 * 100 } }
        let present = values.compactMap { $0 }
        let lo = max(0, min(present.min() ?? 90, 100) - 2).rounded(.down)
        let ticks = LineChart.ticks(lo, 100)
        let labels = timeline.buckets.enumerated().map { ($0.offset, ReportFormat.bucket($0.element.start, timeline.granularity)) }
        let chart = LineChart(title: "Accuracy per \(timeline.granularity == .hour ? "hour" : "day") (predictions with feedback)",
                              series: [.init(name: "accuracy", values: values, color: .init(0.15, 0.45, 0.8))],
                              xLabels: labels, yRange: (ticks.first ?? lo)...100, yTicks: ticks,
                              yFormat: { String(format: "%.0f %%", $0) })
        let chartH = min(190, paper.height - Self.margin - 18 - y)
        if present.isEmpty {
            canvas.text("Accuracy over time: no prediction in this period has feedback.", in: .init(x: m, y: y, width: w, height: 16), size: 11)
        } else {
            chart.draw(in: .init(x: m, y: y, width: w, height: chartH), on: canvas)
        }
        footer(canvas, page: 1)
    }

    // MARK: page 2

    private func secondPage(_ c: ReportContent, on canvas: CairoCanvas) {
        let m = Self.margin, w = contentWidth
        var y = m
        canvas.text("Most confused pairs, with inputs from the log", in: .init(x: m, y: y, width: w, height: 18), size: 13, bold: true)
        y += 24
        if c.examples.isEmpty {
            canvas.text("No mistakes with feedback in this period.", in: .init(x: m, y: y, width: w, height: 14), size: 10)
            y += 22
        }
        let thumb = 34.0
        for e in c.examples {
            canvas.text("Drawn \(e.pair.actual), read as \(e.pair.predicted)", in: .init(x: m, y: y + 4, width: 130, height: 14), size: 10, bold: true)
            canvas.text("\(e.pair.count) time\(e.pair.count == 1 ? "" : "s")", in: .init(x: m, y: y + 19, width: 130, height: 12), size: 8.5,
                        color: .gray(0.4))
            if e.inputs.isEmpty {
                canvas.text("(no stored input)", in: .init(x: m + 140, y: y + 10, width: 200, height: 14), size: 9, color: .gray(0.4))
            }
            for (i, image) in e.inputs.enumerated() {
                let r = CairoCanvas.Rect(x: m + 140 + Double(i) * (thumb + 6), y: y, width: thumb, height: thumb)
                canvas.cells(columns: 28, rows: 28, in: r) { .gray(1 - Double(max(0, min(1, image.pixels[$0])))) }
                canvas.stroke(r, .gray(0.75), lineWidth: 0.5)
            }
            y += thumb + 10
        }
        y += 12
        canvas.fill(.init(x: m, y: y, width: w, height: 0.8), .gray(0.75))
        y += 12
        canvas.text("Active model", in: .init(x: m, y: y, width: w, height: 18), size: 13, bold: true)
        y += 24
        guard let card = c.modelCard else {
            canvas.text("No model was found, so there is no model card.", in: .init(x: m, y: y, width: w, height: 14), size: 10)
            footer(canvas, page: 2)
            return
        }
        let arch = card.architecture.family == .baseline ? "Keras baseline CNN"
            : "conv " + card.architecture.stages.map { $0.map(String.init).joined(separator: "-") }.joined(separator: " / ")
        let facts: [(String, String)] = [
            ("Model", card.id),
            ("Created", ReportFormat.minute(card.created) + " UTC"),
            ("Network", "\(arch), \(card.architecture.multiplyAccumulates / 1000) k multiply-adds per digit"),
            ("MNIST test accuracy", card.metrics["mnist_test_accuracy"].map(ReportFormat.percent) ?? "not measured"),
            ("Held-out pen writers", card.metrics["pendigits_heldout_accuracy"].map(ReportFormat.percent) ?? "not measured"),
            ("Trained from", card.parentID ?? "scratch"),
            ("File", c.modelPath ?? "–"),
        ]
        for (label, value) in facts {
            canvas.text(label, in: .init(x: m, y: y, width: 120, height: 14), size: 9.5, bold: true, color: .gray(0.3))
            canvas.text(value, in: .init(x: m + 122, y: y, width: w - 122, height: 14), size: 9.5)
            y += 16
        }
        y += 10
        let epochs = card.epochs
        if epochs.isEmpty {
            canvas.text("The card records no training curves.", in: .init(x: m, y: y, width: w, height: 14), size: 10)
        } else {
            let labels = epochs.enumerated().map { ($0.offset, "\($0.element.epoch)") }
            let accLo = (min(epochs.map(\.trainAccuracy).min() ?? 0.9, epochs.map(\.validationAccuracy).min() ?? 0.9) * 100 - 0.5).rounded(.down)
            let accTicks = LineChart.ticks(max(0, accLo), 100)
            let half = (w - 16) / 2, h = min(180, paper.height - Self.margin - 30 - y)
            LineChart(title: "Accuracy per epoch", series: [
                .init(name: "training", values: epochs.map { $0.trainAccuracy * 100 }, color: Self.trainingColor),
                .init(name: "validation", values: epochs.map { $0.validationAccuracy * 100 }, color: Self.validationColor),
            ], xLabels: labels, yRange: (accTicks.first ?? accLo)...100, yTicks: accTicks, yFormat: { String(format: "%.1f %%", $0) })
                .draw(in: .init(x: m, y: y, width: half, height: h), on: canvas)
            let losses = epochs.flatMap { [$0.trainLoss, $0.validationLoss] }
            let lossTicks = LineChart.ticks(0, max(losses.max() ?? 1, 1e-3))
            LineChart(title: "Loss per epoch", series: [
                .init(name: "training", values: epochs.map(\.trainLoss), color: Self.trainingColor),
                .init(name: "validation", values: epochs.map(\.validationLoss), color: Self.validationColor),
            ], xLabels: labels, yRange: 0...(lossTicks.last ?? 1), yTicks: lossTicks, yFormat: { String(format: "%.2f", $0) })
                .draw(in: .init(x: m + half + 16, y: y, width: half, height: h), on: canvas)
            canvas.text("x axis: epoch", in: .init(x: m, y: y + h + 2, width: w, height: 11), size: 7.5, color: .gray(0.45), align: .center)
        }
        footer(canvas, page: 2)
    }

    private func footer(_ canvas: CairoCanvas, page: Int) {
        canvas.text("Numeral · page \(page) of 2 · \(paper.name)",
                    in: .init(x: Self.margin, y: paper.height - Self.margin + 12, width: contentWidth, height: 12), size: 7.5,
                    color: .gray(0.5), align: .center)
    }
}
