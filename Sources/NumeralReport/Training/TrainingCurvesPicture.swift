import Foundation
import NumeralUI
import NumeralVision

/// The picture `numeral train` writes beside a model (`MODEL-curves.png`): the "Model training"
/// card on its own, the training and validation loss and accuracy per epoch, drawn with Cairo
/// (no window needed). Same layout, chart geometry and theme colors as the dashboard's card, so
/// the file and the window show the same plots.
public enum TrainingCurvesPicture {
    public static let defaultSize = UISize(width: 960, height: 360)
    /// Below this the plots have no room for their axis labels.
    public static let minimumSize = UISize(width: 360, height: 180)
    public static let maximumSide = 4096.0
    /// Background visible around the card, as around the dashboard's cards.
    public static let margin = 12.0

    /// Where the card and its plots go in a picture of `size` points.
    public static func layout(size: UISize) -> TrainingCurvesLayout {
        TrainingCurvesLayout(card: UIRect(x: margin, y: margin, width: size.width - 2 * margin, height: size.height - 2 * margin))
    }

    /// Draws the curves of `model` at `size` points times `pixelScale` and returns RGBA bytes.
    public static func render(_ model: ModelSummary, size: UISize = defaultSize, theme: ThemeName = .light,
                              pixelScale: Double = 1) throws -> (width: Int, height: Int, rgba: [UInt8]) {
        try validate(size: size, pixelScale: pixelScale)
        let width = Int((size.width * pixelScale).rounded()), height = Int((size.height * pixelScale).rounded())
        let canvas = try CairoCanvas.image(width: width, height: height)
        canvas.scale(pixelScale)
        draw(model, layout: layout(size: size), palette: theme.palette, size: size, on: canvas)
        try canvas.finish()
        return (width, height, canvas.rgba())
    }

    /// Renders the curves and writes them as a PNG file.
    public static func write(to path: String, model: ModelSummary, size: UISize = defaultSize, theme: ThemeName = .light,
                             pixelScale: Double = 1) throws {
        let frame = try render(model, size: size, theme: theme, pixelScale: pixelScale)
        try PNGCodec.writeRGBA(path: path, width: frame.width, height: frame.height, rgba: frame.rgba)
    }

    static func validate(size: UISize, pixelScale: Double) throws {
        guard size.width.isFinite, size.height.isFinite,
              size.width >= minimumSize.width, size.height >= minimumSize.height,
              size.width <= maximumSide, size.height <= maximumSide else {
            throw TrainingCurvesPictureError.unusableSize(width: size.width, height: size.height)
        }
        guard pixelScale.isFinite, (0.5...4).contains(pixelScale) else {
            throw TrainingCurvesPictureError.unusableScale(pixelScale)
        }
    }

    private static func draw(_ model: ModelSummary, layout: TrainingCurvesLayout, palette p: Palette, size: UISize, on canvas: CairoCanvas) {
        canvas.fill(rect(UIRect(x: 0, y: 0, width: size.width, height: size.height)), color(p.background))
        let card = layout.card
        canvas.fill(rect(card), color(p.card))
        canvas.stroke(rect(card), color(p.cardBorder), lineWidth: 1)

        // The card's title row, as the dashboard draws it: the title, and the model on the right.
        let pad = DashboardLayout.cardPadding
        let titleRow = CairoCanvas.Rect(x: card.x + pad, y: card.y + 8, width: card.width - 2 * pad, height: 22)
        let title = canvas.text("Model training", in: titleRow, size: 13.5, bold: true, color: color(p.text))
        let test = model.mnistTestAccuracy.map { " · MNIST test \(DashboardFormat.percent($0, decimals: 2))" } ?? ""
        let titleWidth = canvas.textWidth(title, size: 13.5, bold: true)
        if titleRow.width - titleWidth - 12 > 40 {
            canvas.text(model.id + test, in: .init(x: titleRow.x + titleWidth + 12, y: titleRow.y, width: titleRow.width - titleWidth - 12,
                                                   height: titleRow.height), size: 12, color: color(p.mutedText), align: .right)
        }

        // Under the title: each plot's name over its axis, and which color is which series.
        let row = CairoCanvas.Rect(x: card.x + 14, y: card.y + 32, width: card.width - 28, height: 16)
        canvas.text("Loss", in: .init(x: row.x, y: row.y, width: 60, height: row.height), size: 11.5, bold: true, color: color(p.mutedText))
        let accuracyLabelX = layout.accuracyPlot.x - 42
        canvas.text("Accuracy", in: .init(x: accuracyLabelX, y: row.y, width: 80, height: row.height), size: 11.5, bold: true,
                    color: color(p.mutedText))
        let legendWidth = 150.0
        if row.maxX - legendWidth > accuracyLabelX + 80 + 12 {
            var x = row.maxX - legendWidth
            for (label, series) in [("train", p.accent), ("validation", p.chartSecondary)] {
                canvas.fill(.init(x: x, y: row.y + row.height / 2 - 1.5, width: 14, height: 3), color(series))
                x += 18
                canvas.text(label, in: .init(x: x, y: row.y, width: 90, height: row.height), size: 11, color: color(p.mutedText))
                x += canvas.textWidth(label, size: 11) + 14
            }
        }

        guard !model.epochs.isEmpty else {
            canvas.text("The model card lists no training epochs.", in: .init(x: card.x + 14, y: card.center.y, width: card.width - 28, height: 20),
                        size: 12.5, color: color(p.mutedText), align: .center)
            return
        }
        let epochs = model.epochs.map(\.epoch)
        let losses = (model.epochs.map(\.trainLoss), model.epochs.map(\.validationLoss))
        let accuracies = (model.epochs.map(\.trainAccuracy), model.epochs.map(\.validationAccuracy))
        drawChart(EpochChartGeometry(plot: layout.lossPlot, epochs: epochs, series: [losses.0, losses.1], limits: (0, .infinity)),
                  values: losses, format: { String(format: "%.2f", $0) }, p, on: canvas)
        drawChart(EpochChartGeometry(plot: layout.accuracyPlot, epochs: epochs, series: [accuracies.0, accuracies.1], limits: (0, 1)),
                  values: accuracies, format: { DashboardFormat.percent($0, decimals: 1) }, p, on: canvas)
    }

    private static func drawChart(_ g: EpochChartGeometry, values: ([Double], [Double]), format: (Double) -> String,
                                  _ p: Palette, on canvas: CairoCanvas) {
        let plot = g.plot
        guard plot.width > 20, plot.height > 20 else { return }
        canvas.polyline([(plot.x, plot.y), (plot.x, plot.maxY), (plot.maxX, plot.maxY)], color(p.cardBorder), lineWidth: 1)
        let (low, high) = g.yScale.domain
        canvas.text(format(high), in: .init(x: plot.x - 46, y: plot.y - 7, width: 42, height: 14), size: 10.5, color: color(p.mutedText), align: .right)
        canvas.text(format(low), in: .init(x: plot.x - 46, y: plot.maxY - 7, width: 42, height: 14), size: 10.5, color: color(p.mutedText), align: .right)
        let dot = g.epochs.count <= 30 ? 2.5 : 0
        for (series, seriesColor) in [(values.0, p.accent), (values.1, p.chartSecondary)] {
            // Non-finite values are skipped (the line joins the epochs around them), as on the dashboard.
            let points = g.points(series).map { ($0.x, $0.y) }
            if points.count > 1 { canvas.polyline(points, color(seriesColor), lineWidth: 2) }
            if dot > 0 { for point in points { canvas.circle(x: point.0, y: point.1, radius: dot, color(seriesColor)) } }
        }
        if let first = g.epochs.first, let last = g.epochs.last {
            let labels = CairoCanvas.Rect(x: plot.x, y: plot.maxY + 3, width: plot.width, height: 14)
            canvas.text("epoch \(first)", in: labels, size: 10.5, color: color(p.mutedText))
            if last != first { canvas.text("\(last)", in: labels, size: 10.5, color: color(p.mutedText), align: .right) }
        }
    }

    private static func rect(_ r: UIRect) -> CairoCanvas.Rect { .init(x: r.x, y: r.y, width: r.width, height: r.height) }
    private static func color(_ c: RGBA) -> CairoCanvas.Color {
        .init(Double(c.r) / 255, Double(c.g) / 255, Double(c.b) / 255, Double(c.a) / 255)
    }
}

/// A training-curves picture that cannot be drawn as asked.
public enum TrainingCurvesPictureError: Error, CustomStringConvertible, Equatable {
    case unusableSize(width: Double, height: Double)
    case unusableScale(Double)

    public var description: String {
        let min = TrainingCurvesPicture.minimumSize, max = Int(TrainingCurvesPicture.maximumSide)
        switch self {
        case .unusableSize(let w, let h):
            return "cannot draw training curves at \(w)x\(h) points: use a size from \(Int(min.width))x\(Int(min.height)) to \(max)x\(max)"
        case .unusableScale(let s):
            return "cannot draw training curves at \(s) pixels per point: use a scale from 0.5 to 4"
        }
    }
}
