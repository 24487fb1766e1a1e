import NumeralVision

public enum ReplayError: Error, CustomStringConvertible, Equatable {
    case nothingToReplay
    case badCoordinates(stroke: Int, point: Int)

    public var description: String {
        switch self {
        case .nothingToReplay:
            return "the drawing has no points to replay"
        case .badCoordinates(let stroke, let point):
            return "stroke \(stroke) point \(point) has a coordinate that is not a finite number"
        }
    }
}

/// Turns a saved drawing into the pointer events a user drawing it would produce, so
/// `numeral app --replay` exercises exactly the same input path as the mouse.
public enum ReplayScript {
    /// Pointer events (mouse) with times in seconds from 0. The drawing is scaled uniformly
    /// from its own width/height (or its bounding box when it has none) to fill `fraction`
    /// of the canvas, centered.
    public static func pointerEvents(for drawing: Drawing, into canvas: UIRect, fraction: Double = 0.8,
                                     pointInterval: Double = 0.008, strokeGap: Double = 0.05) throws -> [PointerEvent] {
        for (s, stroke) in drawing.strokes.enumerated() {
            for (i, p) in stroke.points.enumerated() where !(p.x.isFinite && p.y.isFinite) {
                throw ReplayError.badCoordinates(stroke: s, point: i)
            }
        }
        let points = drawing.strokes.flatMap(\.points)
        guard !points.isEmpty else { throw ReplayError.nothingToReplay }

        let source: UIRect
        if let w = drawing.width, let h = drawing.height, w > 0, h > 0, w.isFinite, h.isFinite {
            source = UIRect(x: 0, y: 0, width: w, height: h)
        } else {
            let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 0
            let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 0
            source = UIRect(x: minX, y: minY, width: max(maxX - minX, 1), height: max(maxY - minY, 1))
        }
        let scale = min(canvas.width * fraction / source.width, canvas.height * fraction / source.height)
        let offsetX = canvas.x + (canvas.width - source.width * scale) / 2
        let offsetY = canvas.y + (canvas.height - source.height * scale) / 2
        func place(_ p: StrokePoint) -> UIPoint {
            UIPoint(x: offsetX + (p.x - source.x) * scale, y: offsetY + (p.y - source.y) * scale)
        }

        var events: [PointerEvent] = []
        var t = 0.0
        for stroke in drawing.strokes where !stroke.points.isEmpty {
            for (i, p) in stroke.points.enumerated() {
                events.append(PointerEvent(i == 0 ? .down : .move, .mouse, at: place(p), pressure: p.pressure, time: t))
                t += pointInterval
            }
            if let last = stroke.points.last {
                events.append(PointerEvent(.up, .mouse, at: place(last), pressure: last.pressure, time: t))
            }
            t += strokeGap
        }
        return events
    }
}
