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
    public static let minimumSize = UISize(width: 880, height: 600)
    public static let defaultSize = UISize(width: 1120, height: 740)

    public let size: UISize
    public let variant: LayoutVariant
    public let header: UIRect
    public let title: UIRect
    public let canvas: UIRect
    public let toolbar: UIRect
    public let feedbackBar: UIRect
    /// Kiosk only (zero otherwise): the line above the feedback buttons asking "Was I right?".
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
        let margin = 16.0, gap = 12.0, cardPad = 14.0

        let window = UIRect(x: 0, y: 0, width: w, height: h)
        let (headerRect, belowHeader) = window.sliceTop(56)
        header = headerRect
        let (statusRect, aboveStatus) = belowHeader.sliceBottom(30)
        statusBar = statusRect
        let body = UIRect(x: margin, y: aboveStatus.y, width: w - 2 * margin,
                          height: aboveStatus.height - margin / 2)

        var headerButtons: [(ButtonID, UIRect)] = []
        let headerInner = header.insetBy(dx: margin, dy: 11)
        let (dashboardRect, headerRest) = headerInner.sliceRight(128, gap: 8)
        let (themeRect, titleRest) = headerRest.sliceRight(128, gap: 8)
        let (cameraRect, titleBeforeCamera) = titleRest.sliceRight(128, gap: 8)
        if !kiosk {
            headerButtons.append((.camera, cameraRect))
            headerButtons.append((.theme, themeRect))
            headerButtons.append((.dashboard, dashboardRect))
        }
        title = kiosk ? titleRest : titleBeforeCamera

        let rightWidth = min(max((body.width - gap) * 0.42, 330), kiosk ? 640 : 480)
        let (right, left) = body.sliceRight(rightWidth, gap: gap)

        // Left column: canvas, then tools, then feedback.
        // Kiosk targets are finger-sized: 64-84 points instead of 40.
        let (feedbackRect, aboveFeedbackBar) = left.sliceBottom(kiosk ? 84 : 40, gap: kiosk ? 6 : 10)
        let (promptRect, aboveFeedback) = kiosk ? aboveFeedbackBar.sliceBottom(40, gap: 8) : (UIRect.zero, aboveFeedbackBar)
        feedbackPrompt = promptRect
        let (toolbarRect, canvasRect) = aboveFeedback.sliceBottom(kiosk ? 64 : 40, gap: 12)
        canvas = canvasRect
        toolbar = toolbarRect
        feedbackBar = feedbackRect

        var toolButtons: [(ButtonID, UIRect)] = []
        let (undoRect, afterUndo) = toolbar.sliceLeft(kiosk ? 150 : 112, gap: kiosk ? 12 : 8)
        let (clearRect, _) = afterUndo.sliceLeft(kiosk ? 150 : 112, gap: 8)
        let (predictRect, _) = toolbar.sliceRight(kiosk ? 220 : 160)
        toolButtons.append((.undo, undoRect))
        toolButtons.append((.clear, clearRect))
        toolButtons.append((.predict, predictRect))

        var feedbackButtons: [(ButtonID, UIRect)] = []
        let (correctRect, digitsArea) = feedbackBar.sliceLeft(kiosk ? 168 : 136, gap: 12)
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
        let predictionHeight = kiosk ? min(max(172, h * 0.32), 360) : 172
        let (predictionRect, belowPrediction) = right.sliceTop(predictionHeight, gap: gap)
        predictionCard = predictionRect
        let predictionInner = predictionRect.insetBy(dx: cardPad, dy: cardPad)
        let insetSide = predictionInner.height
        let (insetRect, topThreeArea) = predictionInner.sliceLeft(insetSide, gap: 18)
        inset = insetRect
        topThree = topThreeArea

        let (stripRect, chartRect) = belowPrediction.sliceTop(96, gap: gap)
        stripCard = stripRect
        strip = UIRect(x: stripRect.x + cardPad, y: stripRect.y + 34,
                       width: stripRect.width - 2 * cardPad, height: stripRect.height - 34 - 10)
        chartCard = chartRect
        // The kiosk's title row is taller: its Explain button is a finger-sized target.
        let chartTop = kiosk ? 50.0 : 38.0
        chart = UIRect(x: chartRect.x + cardPad, y: chartRect.y + chartTop,
                       width: chartRect.width - 2 * cardPad, height: chartRect.height - chartTop - cardPad)

        explainButton = UIRect(x: chartRect.maxX - cardPad - (kiosk ? 160 : 120), y: chartRect.y + 8,
                               width: kiosk ? 160 : 120, height: kiosk ? 38 : 26)

        buttons = headerButtons + toolButtons + feedbackButtons + [(.explain, explainButton)]
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

    public var chartRows: [ChartRow] {
        let rowHeight = chart.height / 10
        let barHeight = max(4, min(rowHeight * 0.62, 22))
        return (0..<10).map { d in
            let row = UIRect(x: chart.x, y: chart.y + Double(d) * rowHeight, width: chart.width, height: rowHeight)
            let (label, rest) = row.sliceLeft(22, gap: 8)
            let (value, trackArea) = rest.sliceRight(62, gap: 10)
            let track = UIRect(x: trackArea.x, y: row.y + (rowHeight - barHeight) / 2,
                               width: trackArea.width, height: barHeight)
            return ChartRow(digit: d, label: label, track: track, value: value)
        }
    }
}
