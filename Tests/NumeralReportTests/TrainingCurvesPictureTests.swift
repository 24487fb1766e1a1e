import Foundation
import NumeralReport
import NumeralUI
import NumeralVision
import XCTest

/// The standalone training-curves picture (Cairo, no window): both series in both plots, in their colors, going
/// the way the numbers go, at the requested size.
final class TrainingCurvesPictureTests: XCTestCase {
    /// Loss falls and accuracy rises; validation stays worse than training so the two lines
    /// never cross and each end of the plot has one line clearly above the other.
    static let model = ModelSummary(id: "mnist-test-curves", mnistTestAccuracy: 0.9912, epochs: [
        .init(epoch: 1, trainLoss: 0.90, trainAccuracy: 0.70, validationLoss: 1.00, validationAccuracy: 0.62),
        .init(epoch: 2, trainLoss: 0.50, trainAccuracy: 0.85, validationLoss: 0.72, validationAccuracy: 0.74),
        .init(epoch: 3, trainLoss: 0.30, trainAccuracy: 0.92, validationLoss: 0.58, validationAccuracy: 0.80),
        .init(epoch: 4, trainLoss: 0.18, trainAccuracy: 0.96, validationLoss: 0.50, validationAccuracy: 0.84),
        .init(epoch: 5, trainLoss: 0.10, trainAccuracy: 0.99, validationLoss: 0.46, validationAccuracy: 0.86),
    ])

    private func render(_ model: ModelSummary = model, theme: ThemeName = .light, scale: Double = 1,
                        name: String? = nil) throws -> Frame {
        let size = TrainingCurvesPicture.defaultSize
        let r = try TrainingCurvesPicture.render(model, size: size, theme: theme, pixelScale: scale)
        if let name, let dir = ProcessInfo.processInfo.environment["NUMERAL_TEST_ARTIFACTS"] {
            try? TrainingCurvesPicture.write(to: (dir as NSString).appendingPathComponent(name), model: model, theme: theme, pixelScale: scale)
        }
        return Frame(width: r.width, height: r.height, rgba: r.rgba, scale: scale)
    }

    /// Pixels of `color` inside `plot` (widened by the dot radius), in layout points.
    private func points(of color: RGBA, in plot: UIRect, _ frame: Frame) -> [UIPoint] {
        let area = plot.insetBy(dx: -4, dy: -4)
        var found: [UIPoint] = []
        for y in Int(area.y * frame.scale)..<Int(area.maxY * frame.scale) {
            for x in Int(area.x * frame.scale)..<Int(area.maxX * frame.scale) where colorDistance(frame.pixel(x: x, y: y), color) < 40 {
                found.append(UIPoint(x: Double(x) / frame.scale, y: Double(y) / frame.scale))
            }
        }
        return found
    }

    /// Mean height of a series' pixels in the leftmost and rightmost tenth of a plot.
    private func ends(_ pts: [UIPoint], in plot: UIRect) -> (left: Double, right: Double)? {
        let left = pts.filter { $0.x < plot.x + plot.width * 0.1 }.map(\.y)
        let right = pts.filter { $0.x > plot.maxX - plot.width * 0.1 }.map(\.y)
        guard !left.isEmpty, !right.isEmpty else { return nil }
        return (left.reduce(0, +) / Double(left.count), right.reduce(0, +) / Double(right.count))
    }

    func testBothSeriesAppearInBothPlotsInTheirColors() throws {
        for theme in ThemeName.allCases {
            let frame = try render(theme: theme, name: "training-curves-\(theme.rawValue).png")
            let layout = TrainingCurvesPicture.layout(size: TrainingCurvesPicture.defaultSize)
            let p = theme.palette
            for (name, plot) in [("loss", layout.lossPlot), ("accuracy", layout.accuracyPlot)] {
                let train = points(of: p.accent, in: plot, frame)
                let validation = points(of: p.chartSecondary, in: plot, frame)
                // A 2-point line across the plot covers at least its width in pixels.
                XCTAssertGreaterThan(train.count, Int(plot.width), "\(theme) \(name): the train line is missing")
                XCTAssertGreaterThan(validation.count, Int(plot.width), "\(theme) \(name): the validation line is missing")
            }
            XCTAssertEqual(frame.pixel(x: 1, y: 1), p.background, "the card sits on the theme's background")
        }
    }

    func testLinesGoTheWayTheNumbersGo() throws {
        let frame = try render()
        let layout = TrainingCurvesPicture.layout(size: TrainingCurvesPicture.defaultSize)
        let p = ThemeName.light.palette
        let lossTrain = try XCTUnwrap(ends(points(of: p.accent, in: layout.lossPlot, frame), in: layout.lossPlot))
        let lossValidation = try XCTUnwrap(ends(points(of: p.chartSecondary, in: layout.lossPlot, frame), in: layout.lossPlot))
        let accTrain = try XCTUnwrap(ends(points(of: p.accent, in: layout.accuracyPlot, frame), in: layout.accuracyPlot))
        let accValidation = try XCTUnwrap(ends(points(of: p.chartSecondary, in: layout.accuracyPlot, frame), in: layout.accuracyPlot))
        let drop = layout.lossPlot.height * 0.3

        // Falling loss runs down to the right (y grows downwards); rising accuracy runs up.
        XCTAssertGreaterThan(lossTrain.right - lossTrain.left, drop, "train loss falls from 0.90 to 0.10")
        XCTAssertGreaterThan(lossValidation.right - lossValidation.left, drop / 2, "validation loss falls from 1.00 to 0.46")
        XCTAssertGreaterThan(accTrain.left - accTrain.right, drop, "train accuracy rises from 70% to 99%")
        XCTAssertGreaterThan(accValidation.left - accValidation.right, drop / 2, "validation accuracy rises from 62% to 86%")
        // Validation loss stays above train loss, validation accuracy below train accuracy.
        XCTAssertLessThan(lossValidation.right, lossTrain.right - 10)
        XCTAssertGreaterThan(accValidation.right, accTrain.right + 10)
    }

    func testEachEpochIsADotWhereTheChartGeometryPutsIt() throws {
        let frame = try render(scale: 2)
        let layout = TrainingCurvesPicture.layout(size: TrainingCurvesPicture.defaultSize)
        let p = ThemeName.light.palette
        let m = Self.model
        let epochs = m.epochs.map(\.epoch)
        let losses = [m.epochs.map(\.trainLoss), m.epochs.map(\.validationLoss)]
        let geometry = EpochChartGeometry(plot: layout.lossPlot, epochs: epochs, series: losses, limits: (0, .infinity))
        for (values, color) in zip(losses, [p.accent, p.chartSecondary]) {
            for point in geometry.points(values) {
                XCTAssertLessThan(colorDistance(frame.pixel(at: point), color), 40, "a dot at \(point)")
            }
        }
    }

    func testSizeFollowsThePixelScale() throws {
        let frame = try render(scale: 2)
        XCTAssertEqual(frame.width, 1920)
        XCTAssertEqual(frame.height, 720)
    }

    func testWritesAPNGThatDecodesToTheRenderedPixels() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("curves-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TrainingCurvesPicture.write(to: path, model: Self.model)
        let decoded = try PNGCodec.decode(path: path)
        let rendered = try TrainingCurvesPicture.render(Self.model)
        XCTAssertEqual(decoded.width, 960)
        XCTAssertEqual(decoded.height, 360)
        XCTAssertEqual(decoded.rgba, rendered.rgba)
    }

    func testACardWithoutEpochsSaysSoInsteadOfPlotting() throws {
        let empty = ModelSummary(id: "untrained", mnistTestAccuracy: nil, epochs: [])
        let frame = try render(empty, name: "training-curves-empty.png")
        let layout = TrainingCurvesPicture.layout(size: TrainingCurvesPicture.defaultSize)
        let p = ThemeName.light.palette
        for plot in [layout.lossPlot, layout.accuracyPlot] {
            XCTAssertTrue(points(of: p.accent, in: plot, frame).isEmpty)
            XCTAssertTrue(points(of: p.chartSecondary, in: plot, frame).isEmpty)
        }
        // The message is drawn in the muted text color across the card's middle.
        let middle = UIRect(x: layout.card.x, y: layout.card.center.y, width: layout.card.width, height: 20)
        XCTAssertFalse(points(of: p.mutedText, in: middle, frame).isEmpty, "the card explains that it has no epochs")
    }

    func testNonFiniteValuesAreSkippedNotPlotted() throws {
        var m = Self.model
        m.epochs[2].validationLoss = .nan
        m.epochs[3].trainLoss = .infinity
        let frame = try render(m)
        let layout = TrainingCurvesPicture.layout(size: TrainingCurvesPicture.defaultSize)
        let p = ThemeName.light.palette
        XCTAssertGreaterThan(points(of: p.accent, in: layout.lossPlot, frame).count, Int(layout.lossPlot.width))
        XCTAssertGreaterThan(points(of: p.chartSecondary, in: layout.lossPlot, frame).count, Int(layout.lossPlot.width))
    }

    func testUnusableSizesAndScalesAreRefusedWithAReason() {
        for size in [UISize(width: 100, height: 100), UISize(width: .nan, height: 360), UISize(width: 960, height: 10_000)] {
            XCTAssertThrowsError(try TrainingCurvesPicture.render(Self.model, size: size)) { error in
                guard case TrainingCurvesPictureError.unusableSize = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("360x180"), "the message says which sizes work: \(error)")
            }
        }
        for scale in [0, -1, .infinity, 9] as [Double] {
            XCTAssertThrowsError(try TrainingCurvesPicture.render(Self.model, pixelScale: scale)) { error in
                XCTAssertEqual(error as? TrainingCurvesPictureError, .unusableScale(scale))
            }
        }
    }
}

/// A rendered picture and the pixel scale it was drawn at.
private struct Frame {
    let width: Int
    let height: Int
    let rgba: [UInt8]
    let scale: Double

    func pixel(x: Int, y: Int) -> RGBA {
        let i = (y * width + x) * 4
        return RGBA(rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3])
    }

    /// The pixel under a point given in layout points.
    func pixel(at p: UIPoint) -> RGBA { pixel(x: Int(p.x * scale), y: Int(p.y * scale)) }
}

private func colorDistance(_ a: RGBA, _ b: RGBA) -> Int {
    abs(Int(a.r) - Int(b.r)) + abs(Int(a.g) - Int(b.g)) + abs(Int(a.b) - Int(b.b))
}
