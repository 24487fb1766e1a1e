import Foundation

/// The standard desktop layout, or the kiosk's: bigger touch targets, a "Was I right?"
/// prompt over the feedback buttons, and no theme/dashboard buttons (those need the admin PIN).
public enum LayoutVariant: String, Equatable, Sendable {
    case standard
    case kiosk
}

/// Where everything goes in a window of a given size, in logical points.
/// A pure function of the window size, so the renderer, hit testing and end-to-end tests
/// (`--print-layout`) all agree on the same rectangles.
public struct Layout: Equatable, Sendable {
    /// The smallest window laid out in full; a smaller one is laid out at this size and clipped.
    public static let minimumSize = UISize(width: 640, height: 480)
    /// Below this width or height the layout turns compact: tighter margins and cards, smaller
    /// toolbar buttons, and the feedback bar across the whole width under both columns.
    public static let roomySize = UISize(width: 880, height: 600)
    public static let defaultSize = UISize(width: 1120, height: 740)

    public let size: UISize
    public let variant: LayoutVariant
    /// True below `roomySize` (a kiosk below 1000 wide): renderers use their smaller type and tighter rows.
    public let isCompact: Bool
    public let header: UIRect
    public let title: UIRect
    public let canvas: UIRect
    public let toolbar: UIRect
    public let feedbackBar: UIRect
    /// Kiosk only (zero otherwise): the words asking "Was I right?" — a line above the feedback
    /// buttons, or in a compact window the start of the feedback bar itself.
    public let feedbackPrompt: UIRect
    public let predictionCard: UIRect
    public let inset: UIRect
    public let topThree: UIRect
    public let stripCard: UIRect
    public let strip: UIRect
    public let chartCard: UIRect
    public let chart: UIRect
    public let statusBar: UIRect
    /// The Explain view's button, in the chart card's title row.
    public let explainButton: UIRect
    /// In drawing order; also the hit-testing order.
    public let buttons: [(id: ButtonID, rect: UIRect)]

    // Every rectangle is derived from the size alone, so comparing sizes compares layouts.
    public static func == (a: Layout, b: Layout) -> Bool { a.size == b.size && a.variant == b.variant }

    public init(width: Double, height: Double, variant: LayoutVariant = .standard) {
        self.variant = variant
        let kiosk = variant == .kiosk
        // Below the minimum the window manager refused our minimum size; lay out as if at the
        // minimum so nothing overlaps (the far edge is clipped instead).
        let w = max(width.isFinite ? width : 0, Layout.minimumSize.width)
        let h = max(height.isFinite ? height : 0, Layout.minimumSize.height)
        size = UISize(width: w, height: h)
        // A kiosk's finger-sized toolbar and feedback buttons need 1000 points across to sit in the left column.
        let compact = w < (kiosk ? 1000 : Layout.roomySize.width) || h < Layout.roomySize.height
        isCompact = compact
        let margin = compact ? 12.0 : 16.0, gap = compact ? 10.0 : 12.0, cardPad = compact ? 10.0 : 14.0
        let metrics = Metrics(kiosk: kiosk, compact: compact)

        let window = UIRect(x: 0, y: 0, width: w, height: h)
        let (headerRect, belowHeader) = window.sliceTop(compact ? 44 : 56)
        header = headerRect
        let (statusRect, aboveStatus) = belowHeader.sliceBottom(compact ? 26 : 30)
        statusBar = statusRect
        var body = UIRect(x: margin, y: aboveStatus.y, width: w - 2 * margin,
                          height: aboveStatus.height - margin / 2)

        var headerButtons: [(ButtonID, UIRect)] = []
        let headerInner = header.insetBy(dx: margin, dy: compact ? 8 : 11)
        let headerButtonWidth = compact ? 112.0 : 128.0
        let (dashboardRect, headerRest) = headerInner.sliceRight(headerButtonWidth, gap: 8)
        let (themeRect, titleRest) = headerRest.sliceRight(headerButtonWidth, gap: 8)
        let (cameraRect, titleBeforeCamera) = titleRest.sliceRight(headerButtonWidth, gap: 8)
        if !kiosk {
            headerButtons.append((.camera, cameraRect))
            headerButtons.append((.theme, themeRect))
            headerButtons.append((.dashboard, dashboardRect))
        }
        title = kiosk ? titleRest : titleBeforeCamera

        // A compact window gives the feedback bar the whole width, so ten digit buttons stay
        // big enough to hit; a kiosk's "Was I right?" then starts the bar instead of topping it.
        var promptRect = UIRect.zero
        var feedbackRect = UIRect.zero
        if compact {
            (feedbackRect, body) = body.sliceBottom(metrics.feedbackHeight, gap: 8)
            if kiosk { (promptRect, feedbackRect) = feedbackRect.sliceLeft(116, gap: 8) }
        }

        let rightWidth = compact ? min(max((body.width - gap) * 0.42, 250), 360)
                                 : min(max((body.width - gap) * 0.42, 330), kiosk ? 640 : 480)
        let (right, left) = body.sliceRight(rightWidth, gap: gap)

        // Left column: canvas, then tools, then (roomy) feedback.
        // Kiosk targets are finger-sized: 48-84 points instead of 36-40.
        var aboveFeedback = left
        if !compact {
            let aboveFeedbackBar: UIRect
            (feedbackRect, aboveFeedbackBar) = left.sliceBottom(metrics.feedbackHeight, gap: kiosk ? 6 : 10)
            (promptRect, aboveFeedback) = kiosk ? aboveFeedbackBar.sliceBottom(40, gap: 8) : (UIRect.zero, aboveFeedbackBar)
        }
        feedbackPrompt = promptRect
        let (toolbarRect, canvasRect) = aboveFeedback.sliceBottom(metrics.toolbarHeight, gap: compact ? 10 : 12)
        canvas = canvasRect
        toolbar = toolbarRect
        feedbackBar = feedbackRect

        var toolButtons: [(ButtonID, UIRect)] = []
        let (undoRect, afterUndo) = toolbar.sliceLeft(metrics.toolWidth, gap: kiosk ? 12 : 8)
        let (clearRect, _) = afterUndo.sliceLeft(metrics.toolWidth, gap: 8)
        let (predictRect, _) = toolbar.sliceRight(metrics.predictWidth)
        toolButtons.append((.undo, undoRect))
        toolButtons.append((.clear, clearRect))
        toolButtons.append((.predict, predictRect))

        var feedbackButtons: [(ButtonID, UIRect)] = []
        let (correctRect, digitsArea) = feedbackBar.sliceLeft(metrics.correctWidth, gap: compact ? 10 : 12)
        feedbackButtons.append((.correct, correctRect))
        let digitGap = kiosk ? 8.0 : 6.0
        let digitWidth = (digitsArea.width - 9 * digitGap) / 10
        for d in 0..<10 {
            feedbackButtons.append((.digit(d), UIRect(
                x: digitsArea.x + Double(d) * (digitWidth + digitGap), y: digitsArea.y,
                width: digitWidth, height: digitsArea.height)))
        }

        // Right column: what the model saw and its top three, the number strip, the chart.
        // A kiosk on a big screen gives the answer (and the 28×28 input) room to be read from afar.
        let predictionHeight = compact ? 112 : kiosk ? min(max(172, h * 0.32), 360) : 172
        let (predictionRect, belowPrediction) = right.sliceTop(predictionHeight, gap: gap)
        predictionCard = predictionRect
        let predictionInner = predictionRect.insetBy(dx: cardPad, dy: cardPad)
        let insetSide = predictionInner.height
        let (insetRect, topThreeArea) = predictionInner.sliceLeft(insetSide, gap: compact ? 12 : 18)
        inset = insetRect
        topThree = topThreeArea

        let stripHeight = compact ? 68.0 : 96.0, stripTitle = compact ? 28.0 : 34.0
        let (stripRect, chartRect) = belowPrediction.sliceTop(stripHeight, gap: gap)
        stripCard = stripRect
        strip = UIRect(x: stripRect.x + cardPad, y: stripRect.y + stripTitle,
                       width: stripRect.width - 2 * cardPad, height: stripRect.height - stripTitle - (compact ? 4 : 10))
        chartCard = chartRect
        // The kiosk's title row is taller: its Explain button is a finger-sized target.
        let explainSize = compact ? UISize(width: kiosk ? 120 : 110, height: kiosk ? 32 : 24)
                                  : UISize(width: kiosk ? 160 : 120, height: kiosk ? 38 : 26)
        let chartTop = explainSize.height + (compact ? 10 : 12)
        chart = UIRect(x: chartRect.x + cardPad, y: chartRect.y + chartTop,
                       width: chartRect.width - 2 * cardPad, height: chartRect.height - chartTop - cardPad)

        explainButton = UIRect(x: chartRect.maxX - cardPad - explainSize.width, y: chartRect.y + (compact ? 6 : 8),
                               width: explainSize.width, height: explainSize.height)

        buttons = headerButtons + toolButtons + feedbackButtons + [(.explain, explainButton)]
    }

    /// Button and bar sizes by variant and room.
    private struct Metrics {
        let feedbackHeight: Double, toolbarHeight: Double
        let toolWidth: Double, predictWidth: Double, correctWidth: Double

        init(kiosk: Bool, compact: Bool) {
            switch (kiosk, compact) {
            case (false, false): (feedbackHeight, toolbarHeight, toolWidth, predictWidth, correctWidth) = (40, 40, 112, 160, 136)
            case (true, false): (feedbackHeight, toolbarHeight, toolWidth, predictWidth, correctWidth) = (84, 64, 150, 220, 168)
            case (false, true): (feedbackHeight, toolbarHeight, toolWidth, predictWidth, correctWidth) = (36, 36, 84, 120, 112)
            case (true, true): (feedbackHeight, toolbarHeight, toolWidth, predictWidth, correctWidth) = (52, 48, 92, 132, 120)
            }
        }
    }

    public func rect(of id: ButtonID) -> UIRect? {
        buttons.first(where: { $0.id == id })?.rect
    }

    public func button(at p: UIPoint) -> ButtonID? {
        buttons.first(where: { $0.rect.contains(p) })?.id
    }

    /// One cell per recognized digit in the number strip, left to right. Cells keep a fixed
    /// width (so insets stay square) until they no longer fit, then shrink evenly.
    public func stripCells(count: Int) -> [UIRect] {
        guard count > 0 else { return [] }
        let gap = 8.0
        let natural = strip.height * 0.72
        let fitted = (strip.width - Double(count - 1) * gap) / Double(count)
        let cellWidth = max(1, min(natural, fitted))
        return (0..<count).map { i in
            UIRect(x: strip.x + Double(i) * (cellWidth + gap), y: strip.y,
                   width: cellWidth, height: strip.height)
        }
    }

    public func stripCell(at p: UIPoint, count: Int) -> Int? {
        stripCells(count: count).firstIndex(where: { $0.contains(p) })
    }

    /// The probability chart's ten rows: the digit label, the bar's full-length track, and
    /// the percentage text. A bar for probability p fills `p * track.width` of its track.
    public struct ChartRow: Equatable, Sendable {
        public let digit: Int
        public let label: UIRect
        public let track: UIRect
        public let value: UIRect
    }

    /// Type size for the chart rows' digits and percentages: 14 (13 for percentages) when the
    /// rows are roomy, down to 9 when a small window makes them short.
    public var chartTextSize: Double { min(14, max(9, chart.height / 10 * 0.95)) }

    public var chartRows: [ChartRow] {
        let rowHeight = chart.height / 10
        let barHeight = max(4, min(rowHeight * 0.62, 22))
        return (0..<10).map { d in
            let row = UIRect(x: chart.x, y: chart.y + Double(d) * rowHeight, width: chart.width, height: rowHeight)
            let (label, rest) = row.sliceLeft(isCompact ? 16 : 22, gap: 8)
            let (value, trackArea) = rest.sliceRight(isCompact ? 50 : 62, gap: 10)
            let track = UIRect(x: trackArea.x, y: row.y + (rowHeight - barHeight) / 2,
                               width: trackArea.width, height: barHeight)
            return ChartRow(digit: d, label: label, track: track, value: value)
        }
    }
}
