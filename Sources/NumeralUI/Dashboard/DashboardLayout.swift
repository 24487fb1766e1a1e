/// Where everything on the dashboard goes for a window size, in logical points. A pure
/// function of the size, like `Layout`, so drawing, hit testing and tests agree.
public struct DashboardLayout: Equatable, Sendable {
    public let size: UISize
    /// Below `Layout.roomySize`: shorter labels, smaller chips and tiles.
    public let isCompact: Bool
    /// False when the window is too narrow for three columns: the breakdown and model
    /// training cards are left out (their rects are empty) so the rest stays readable.
    public let showsSideCards: Bool
    public let header: UIRect
    public let title: UIRect
    public let filterBar: UIRect
    public let statusBar: UIRect
    /// The area under the filters: tiles and cards, or the empty state.
    public let body: UIRect
    /// Headline numbers: accuracy, predictions, confidence, latency, model test accuracy.
    public let tiles: [UIRect]
    public let heatmapCard: UIRect
    /// The 10x10 grid itself; rows are actual digits, columns predicted ones.
    public let heatmap: UIRect
    public let timelineCard: UIRect
    /// The plotting area of the accuracy-over-time chart (axes labels outside it).
    public let timelinePlot: UIRect
    /// The "Model training" card and its loss and accuracy plots.
    public let trainingCurves: TrainingCurvesLayout
    public var modelCard: UIRect { trainingCurves.card }
    public var lossPlot: UIRect { trainingCurves.lossPlot }
    public var accuracyPlot: UIRect { trainingCurves.accuracyPlot }
    public let breakdownCard: UIRect
    /// Under the breakdown: the improvement's progress bar while one runs, else its latest report.
    public let improvementCard: UIRect
    /// The progress bar inside `improvementCard`.
    public var improvementProgressBar: UIRect {
        let pad = DashboardLayout.cardPadding
        return UIRect(x: improvementCard.x + pad, y: improvementCard.y + DashboardLayout.cardTitleHeight + 28,
                      width: improvementCard.width - 2 * pad, height: 12)
    }
    /// In drawing and hit-testing order.
    public let controls: [(id: DashboardControl, rect: UIRect)]

    public static func == (a: DashboardLayout, b: DashboardLayout) -> Bool { a.size == b.size }

    public static let cardPadding = 14.0
    public static let cardTitleHeight = 30.0

    public init(width: Double, height: Double) {
        // Same minimum as the drawing view: they share one window.
        let w = max(width.isFinite ? width : 0, Layout.minimumSize.width)
        let h = max(height.isFinite ? height : 0, Layout.minimumSize.height)
        size = UISize(width: w, height: h)
        let compact = w < Layout.roomySize.width || h < Layout.roomySize.height
        isCompact = compact
        let margin = compact ? 12.0 : 16.0, gap = compact ? 8.0 : 12.0
        let pad = DashboardLayout.cardPadding, titleHeight = DashboardLayout.cardTitleHeight

        let window = UIRect(x: 0, y: 0, width: w, height: h)
        let (headerRect, belowHeader) = window.sliceTop(compact ? 44 : 56)
        header = headerRect
        let (statusRect, aboveStatus) = belowHeader.sliceBottom(compact ? 26 : 30)
        statusBar = statusRect

        var controls: [(DashboardControl, UIRect)] = []
        let headerInner = header.insetBy(dx: margin, dy: compact ? 8 : 11)
        // Five header buttons: narrower ones in a small window (with shorter labels), so the title keeps its room.
        let widths: [Double] = compact ? [92, 52, 52, 72, 84] : w < 1000 ? [140, 104, 104, 118, 128] : [156, 116, 116, 128, 136]
        let (backRect, rest1) = headerInner.sliceRight(widths[0], gap: 8)
        let (csvRect, rest2) = rest1.sliceRight(widths[1], gap: 8)
        let (pngRect, rest3) = rest2.sliceRight(widths[2], gap: 8)
        let (pdfRect, rest4) = rest3.sliceRight(widths[3], gap: 8)
        let (improveRect, titleRest) = rest4.sliceRight(widths[4], gap: 8)
        title = titleRest
        controls.append((.improve, improveRect))
        controls.append((.exportPDF, pdfRect))
        controls.append((.exportPNG, pngRect))
        controls.append((.exportCSV, csvRect))
        controls.append((.back, backRect))

        let content = UIRect(x: margin, y: aboveStatus.y + (compact ? 8 : 10), width: w - 2 * margin,
                             height: aboveStatus.height - (compact ? 8 : 10) - margin / 2)
        let (filterRect, bodyRect) = content.sliceTop(compact ? 28 : 32, gap: gap)
        filterBar = filterRect
        body = bodyRect

        // Chips share the bar: date ranges on the left, input types after a wider gap.
        let chipGap = compact ? 4.0 : 6.0
        var x = filterRect.x
        for range in DashboardRange.allCases {
            let width = range == .all ? (compact ? 68.0 : 84.0) : (compact ? 58.0 : 72.0)
            controls.append((.range(range), UIRect(x: x, y: filterRect.y, width: width, height: filterRect.height)))
            x += width + chipGap
        }
        x += compact ? 10 : 22
        for input in DashboardInputFilter.allCases {
            let width = input == .all ? (compact ? 76.0 : 92.0) : input == .api ? (compact ? 46.0 : 76.0) : (compact ? 62.0 : 76.0)
            controls.append((.input(input), UIRect(x: x, y: filterRect.y, width: width, height: filterRect.height)))
            x += width + chipGap
        }
        // The device chip takes what is left of the bar, when that is enough (V steps devices too).
        let deviceWidth = min(220, filterRect.maxX - (x + 16))
        if deviceWidth >= 96 {
            controls.append((.device, UIRect(x: filterRect.maxX - deviceWidth, y: filterRect.y, width: deviceWidth, height: filterRect.height)))
        }
        self.controls = controls

        let (tilesRow, main) = bodyRect.sliceTop(compact ? 58 : 74, gap: gap)
        let tileCount = 5
        let tileWidth = (tilesRow.width - Double(tileCount - 1) * gap) / Double(tileCount)
        tiles = (0..<tileCount).map { i in
            UIRect(x: tilesRow.x + Double(i) * (tileWidth + gap), y: tilesRow.y, width: tileWidth, height: tilesRow.height)
        }

        // Heatmap: column labels above, row labels to the left, legend under the grid.
        let labelBand = 20.0, legendBand = compact ? 20.0 : 24.0
        let heatmapWidth = compact ? min(main.height - titleHeight - labelBand - pad - legendBand, main.width * 0.34) + 2 * pad + labelBand
                                   : max(290, min(main.height * 0.9, main.width * 0.36))
        let (heatRect, afterHeat) = main.sliceLeft(heatmapWidth, gap: gap)
        heatmapCard = heatRect
        let gridArea = UIRect(x: heatRect.x + pad + labelBand, y: heatRect.y + titleHeight + labelBand,
                              width: heatRect.width - 2 * pad - labelBand,
                              height: heatRect.height - titleHeight - labelBand - pad - legendBand)
        let side = max(10, (min(gridArea.width, gridArea.height) / 10).rounded(.down) * 10)
        heatmap = UIRect(x: gridArea.x + (gridArea.width - side) / 2, y: gridArea.y, width: side, height: side)

        // Three columns need about 440 points beside the heatmap; otherwise the timeline sits
        // over the improvement card and the breakdown and training curves wait for a bigger window.
        showsSideCards = afterHeat.width >= 440
        let middle: UIRect
        if showsSideCards {
            let breakdownWidth = compact ? min(max(afterHeat.width * 0.35, 200), 300) : min(max(main.width * 0.22, 210), 300)
            let sideColumn: UIRect
            (sideColumn, middle) = afterHeat.sliceRight(breakdownWidth, gap: gap)
            // The report needs about eight lines; the breakdown gives up its last rows first.
            let (improvementRect, breakdownRect) = sideColumn.sliceBottom(min(168, sideColumn.height * 0.5), gap: gap)
            breakdownCard = breakdownRect
            improvementCard = improvementRect
            let (timelineRect, modelRect) = middle.sliceTop((middle.height - gap) * 0.5, gap: gap)
            timelineCard = timelineRect
            trainingCurves = TrainingCurvesLayout(card: modelRect)
        } else {
            middle = afterHeat
            let (timelineRect, improvementRect) = middle.sliceTop((middle.height - gap) * 0.5, gap: gap)
            timelineCard = timelineRect
            improvementCard = improvementRect
            breakdownCard = .zero
            trainingCurves = TrainingCurvesLayout(card: .zero)
        }
        // Left axis (accuracy), right axis (count), bottom axis (dates).
        timelinePlot = UIRect(x: timelineCard.x + pad + 38, y: timelineCard.y + titleHeight + 8,
                              width: timelineCard.width - 2 * pad - 38 - 30,
                              height: timelineCard.height - titleHeight - 8 - pad - 18)
    }

    public func rect(of control: DashboardControl) -> UIRect? {
        controls.first(where: { $0.id == control })?.rect
    }

    public func control(at p: UIPoint) -> DashboardControl? {
        controls.first(where: { $0.rect.contains(p) })?.id
    }

    public var heatmapCellSide: Double { heatmap.width / 10 }

    public func rect(of cell: HeatmapCell) -> UIRect {
        let s = heatmapCellSide
        return UIRect(x: heatmap.x + Double(cell.predicted) * s, y: heatmap.y + Double(cell.actual) * s, width: s, height: s)
    }

    public func heatmapCell(at p: UIPoint) -> HeatmapCell? {
        guard heatmap.contains(p) else { return nil }
        let s = heatmapCellSide
        let column = Int((p.x - heatmap.x) / s), row = Int((p.y - heatmap.y) / s)
        guard (0..<10).contains(row), (0..<10).contains(column) else { return nil }
        return HeatmapCell(actual: row, predicted: column)
    }
}
