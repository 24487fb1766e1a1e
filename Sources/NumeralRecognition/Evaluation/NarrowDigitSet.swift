import Foundation
import NumeralVision

/// Very narrow digits as a new user draws them on the canvas: zeros and ones `width` px wide and
/// 380 px tall. Zeros are ellipses (started at four points of the ring, upright or tilted 5° either
/// way) and pen-drawn zeros squeezed to that width; ones are straight and slanted lines, lines with
/// a small flag, and pen-drawn ones squeezed the same way. A narrow zero must read 0 and a narrow
/// one must still read 1.
public struct NarrowDigitSet {
    public struct Item {
        public var label: Int
        /// Ink box width on the canvas, px (the height is `height`).
        public var width: Double
        /// "ellipse", "pen", "line", "slanted line" or "flagged line".
        public var kind: String
        public var drawing: Drawing
    }

    public static let height = 380.0
    public static let defaultWidths: [Double] = [40, 50, 60, 70, 80, 90, 100, 120]

    public private(set) var items: [Item] = []

    /// `pens` are the pen-drawn digits to squeeze (their zeros and ones are used).
    public init(widths: [Double] = NarrowDigitSet.defaultWidths, pens: [PenSample] = []) {
        let height = Self.height
        for width in widths {
            for start in 0..<4 {
                for tilt in [-5.0, 0, 5] {
                    items.append(Item(label: 0, width: width, kind: "ellipse",
                                      drawing: Self.ellipse(width: width, height: height, start: Double(start) * .pi / 2,
                                                            tilt: tilt * .pi / 180)))
                }
            }
            items.append(Item(label: 1, width: width, kind: "slanted line",
                              drawing: Self.polyline([(200 + width, 60), (200, 60 + height)])))
            items.append(Item(label: 1, width: width, kind: "flagged line",
                              drawing: Self.polyline([(200, 60 + 0.15 * height), (200 + width, 60), (200 + width, 60 + height)])))
            for sample in pens where sample.label == 0 || sample.label == 1 {
                guard let squeezed = Self.squeezed(sample.drawing, width: width, height: height) else { continue }
                items.append(Item(label: sample.label, width: width, kind: "pen", drawing: squeezed))
            }
        }
        items.append(Item(label: 1, width: 0, kind: "line", drawing: Self.polyline([(250, 60), (250, 60 + height)])))
    }

    /// An ellipse `width`×`height` (before tilting) drawn as one closed stroke of 72 points.
    static func ellipse(width: Double, height: Double, start: Double, tilt: Double) -> Drawing {
        let points = (0...72).map { i -> StrokePoint in
            let a = start + Double(i) / 72 * 2 * .pi
            let x = width / 2 * cos(a), y = height / 2 * sin(a)
            return StrokePoint(x: 250 + x * cos(tilt) - y * sin(tilt), y: 250 + x * sin(tilt) + y * cos(tilt))
        }
        return Drawing(strokes: [Stroke(points: points)])
    }

    static func polyline(_ corners: [(Double, Double)]) -> Drawing {
        var points: [StrokePoint] = []
        for (a, b) in zip(corners, corners.dropFirst()) {
            for k in 0..<20 {
                let t = Double(k) / 20
                points.append(StrokePoint(x: a.0 + (b.0 - a.0) * t, y: a.1 + (b.1 - a.1) * t))
            }
        }
        if let last = corners.last { points.append(StrokePoint(x: last.0, y: last.1)) }
        return Drawing(strokes: [Stroke(points: points)])
    }

    /// The drawing scaled so its box is `width`×`height`; nil for a drawing without extent.
    static func squeezed(_ drawing: Drawing, width: Double, height: Double) -> Drawing? {
        let all = drawing.strokes.flatMap(\.points)
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(),
              let minY = all.map(\.y).min(), let maxY = all.map(\.y).max(), maxX > minX, maxY > minY else { return nil }
        let sx = width / (maxX - minX), sy = height / (maxY - minY)
        return Drawing(strokes: drawing.strokes.map { stroke in
            Stroke(points: stroke.points.map { p in
                var q = p
                q.x = 250 + (p.x - minX) * sx - width / 2
                q.y = 60 + (p.y - minY) * sy
                return q
            })
        })
    }

    /// One outcome per item: the number read as a single digit (-1 otherwise) and its confidence.
    public func evaluate(with recognizer: Recognizer) -> [(item: Item, predicted: Int, confidence: Float, input: GrayImage?)] {
        items.map { item in
            let recognition = try? recognizer.recognize(item.drawing)
            let digits = recognition?.digits ?? []
            return (item, digits.count == 1 ? digits[0].digit : -1, recognition?.confidence ?? 0, digits.first?.input)
        }
    }
}
