import Foundation
import NumeralUI
import NumeralVision

/// The dashboard's "Model training" card on its own, rendered offscreen: the training and
/// validation loss and accuracy per epoch that `numeral train` saves beside the model.
/// Same drawing code as the dashboard, so the file and the window never disagree.
public enum TrainingCurvesSnapshot {
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
        let offscreen = try OffscreenRenderer(width: Int((size.width * pixelScale).rounded()),
                                              height: Int((size.height * pixelScale).rounded()))
        let renderer = try DashboardRenderer(renderer: offscreen.renderer)
        renderer.drawTrainingCurves(model, layout: layout(size: size), theme: theme, pixelScale: pixelScale)
        return (offscreen.width, offscreen.height, try offscreen.readRGBA())
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
            throw TrainingCurvesSnapshotError.unusableSize(width: size.width, height: size.height)
        }
        guard pixelScale.isFinite, (0.5...4).contains(pixelScale) else {
            throw TrainingCurvesSnapshotError.unusableScale(pixelScale)
        }
    }
}

public enum TrainingCurvesSnapshotError: Error, CustomStringConvertible, Equatable {
    case unusableSize(width: Double, height: Double)
    case unusableScale(Double)

    public var description: String {
        let min = TrainingCurvesSnapshot.minimumSize, max = Int(TrainingCurvesSnapshot.maximumSide)
        switch self {
        case .unusableSize(let w, let h):
            return "cannot draw training curves at \(w)x\(h) points: use a size from \(Int(min.width))x\(Int(min.height)) to \(max)x\(max)"
        case .unusableScale(let s):
            return "cannot draw training curves at \(s) pixels per point: use a scale from 0.5 to 4"
        }
    }
}

extension DashboardRenderer {
    /// A whole frame holding only the "Model training" card.
    func drawTrainingCurves(_ model: ModelSummary, layout: TrainingCurvesLayout, theme: ThemeName, pixelScale: Double) {
        painter.scale = pixelScale > 0 && pixelScale.isFinite ? pixelScale : 1
        let p = theme.palette
        painter.clear(p.background)
        drawModelCard(layout, model: model, problem: nil, p)
        painter.endFrame()
    }
}
