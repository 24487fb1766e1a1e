/// One handwritten digit ready to be put on synthetic paper: its ink (0...1, cropped to the
/// ink) and its label. Made from an MNIST image or a pen drawing.
public struct DigitGlyph: Sendable {
    public var ink: GrayImage
    public var label: Int

    public init(ink: GrayImage, label: Int) {
        self.ink = ink
        self.label = label
    }

    /// An MNIST-style image (ink = 1) cropped to its ink.
    public init(mnist image: GrayImage, label: Int) {
        var minX = image.width, minY = image.height, maxX = -1, maxY = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > 0.1 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= minX else {
            self.init(ink: image, label: label)
            return
        }
        var crop = GrayImage(width: maxX - minX + 1, height: maxY - minY + 1)
        for y in 0..<crop.height { for x in 0..<crop.width { crop[x, y] = image[minX + x, minY + y] } }
        self.init(ink: crop, label: label)
    }

    /// A pen drawing (y down, as `PenDigits` loads it) drawn with a round pen, `height` px tall.
    public init(drawing: Drawing, label: Int, height: Int, penRadius: Double) {
        let points = drawing.strokes.flatMap(\.points)
        let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 1
        let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 1
        let scale = Double(max(4, height) - 1) / max(maxY - minY, 1e-6)
        let pad = Int(penRadius.rounded(.up)) + 1
        let width = Int(((maxX - minX) * scale).rounded(.up)) + 2 * pad + 1
        let fullHeight = max(4, height) + 2 * pad
        var ink = GrayImage(width: max(1, width), height: fullHeight)
        func place(_ p: StrokePoint) -> (Double, Double) {
            ((p.x - minX) * scale + Double(pad), (p.y - minY) * scale + Double(pad))
        }
        for stroke in drawing.strokes {
            let placed = stroke.points.map(place)
            guard let first = placed.first else { continue }
            let segments = placed.count == 1 ? [(first, first)] : Array(zip(placed, placed.dropFirst()))
            for ((ax, ay), (bx, by)) in segments {
                let x0 = max(0, Int(min(ax, bx) - penRadius - 1)), x1 = min(ink.width - 1, Int(max(ax, bx) + penRadius + 1))
                let y0 = max(0, Int(min(ay, by) - penRadius - 1)), y1 = min(ink.height - 1, Int(max(ay, by) + penRadius + 1))
                guard x0 <= x1, y0 <= y1 else { continue }
                let dx = bx - ax, dy = by - ay, length2 = dx * dx + dy * dy
                for y in y0...y1 {
                    for x in x0...x1 {
                        let px = Double(x) + 0.5 - ax, py = Double(y) + 0.5 - ay
                        let t = length2 > 0 ? min(1, max(0, (px * dx + py * dy) / length2)) : 0
                        let ex = px - t * dx, ey = py - t * dy
                        let distance = (ex * ex + ey * ey).squareRoot()
                        let coverage = Float(min(1, max(0, penRadius + 0.5 - distance)))
                        if coverage > ink[x, y] { ink[x, y] = coverage }
                    }
                }
            }
        }
        self.init(ink: ink, label: label)
    }
}
