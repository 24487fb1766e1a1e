/// Where the "Model training" card puts its two plots (loss left, accuracy right) inside the
/// card's rect. One function of the rect, so the dashboard's card and the standalone curves
/// picture written by `numeral train` are the same drawing at different sizes.
public struct TrainingCurvesLayout: Equatable, Sendable {
    public let card: UIRect
    public let lossPlot: UIRect
    public let accuracyPlot: UIRect

    /// Room under the card title for each plot's name and the series legend.
    public static let legendBand = 22.0
    /// Room under each plot for the epoch labels.
    public static let epochLabelBand = 18.0
    /// Room left of each plot for its y axis labels.
    public static let axisLabelWidth = 42.0
    public static let plotGap = 12.0

    public init(card: UIRect) {
        self.card = card
        let pad = DashboardLayout.cardPadding, titleHeight = DashboardLayout.cardTitleHeight
        let axis = TrainingCurvesLayout.axisLabelWidth, gap = TrainingCurvesLayout.plotGap
        let plotsArea = UIRect(x: card.x + pad, y: card.y + titleHeight + TrainingCurvesLayout.legendBand,
                               width: card.width - 2 * pad,
                               height: card.height - titleHeight - TrainingCurvesLayout.legendBand - pad - TrainingCurvesLayout.epochLabelBand)
        let half = (plotsArea.width - 2 * gap) / 2
        lossPlot = UIRect(x: plotsArea.x + axis, y: plotsArea.y, width: half - axis, height: plotsArea.height)
        accuracyPlot = UIRect(x: plotsArea.x + half + 2 * gap + axis, y: plotsArea.y, width: half - axis, height: plotsArea.height)
    }
}
