/// Thins a drawing's strokes (Ramer–Douglas–Peucker) to at most a number of points, for
/// storing: a 20,000-point drawing keeps its shape in a few hundred. Each stroke keeps its
/// first and last point; the tolerance grows (in the drawing's own units, relative to its size)
/// until the drawing fits, so a drawing already within the cap is returned unchanged.
public struct DrawingSimplifier: Sendable {
    /// Most points the result may hold.
    public var maxPoints: Int
    /// First tolerance as a share of the drawing's larger side; doubled until the drawing fits.
    public var startTolerance = 0.002

    public init(maxPoints: Int = 1_000) {
        self.maxPoints = max(2, maxPoints)
    }

    /// The drawing thinned to at most `maxPoints` points (or to each stroke's two ends, when even
    /// that is more), and the tolerance used (0: unchanged).
    public func simplify(_ drawing: Drawing) -> (drawing: Drawing, tolerance: Double) {
        let count = drawing.strokes.reduce(0) { $0 + $1.points.count }
        guard count > maxPoints else { return (drawing, 0) }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for stroke in drawing.strokes {
            for p in stroke.points where p.x.isFinite && p.y.isFinite {
                minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
            }
        }
        let side = max(1e-9, max(maxX - minX, maxY - minY))
        var tolerance = startTolerance * side
        var result = drawing
        for _ in 0..<40 {
            result.strokes = drawing.strokes.map { Stroke(points: Self.thin($0.points, tolerance: tolerance)) }
            if result.strokes.reduce(0, { $0 + $1.points.count }) <= maxPoints { break }
            tolerance *= 2
        }
        return (result, tolerance)
    }

    /// Ramer–Douglas–Peucker without recursion: keeps the points farther than `tolerance` from
    /// the chord of the span that holds them.
    static func thin(_ points: [StrokePoint], tolerance: Double) -> [StrokePoint] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var spans = [(0, points.count - 1)]
        while let (first, last) = spans.popLast() {
            guard last - first > 1 else { continue }
            let a = points[first], b = points[last]
            let dx = b.x - a.x, dy = b.y - a.y
            let length = (dx * dx + dy * dy).squareRoot()
            var farthest = first, distance = -1.0
            for i in (first + 1)..<last {
                let p = points[i]
                let d = length > 0 ? abs(dy * (p.x - a.x) - dx * (p.y - a.y)) / length
                                   : ((p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y)).squareRoot()
                if d > distance { distance = d; farthest = i }
            }
            if distance > tolerance {
                keep[farthest] = true
                spans.append((first, farthest))
                spans.append((farthest, last))
            }
        }
        return zip(points, keep).filter(\.1).map(\.0)
    }
}
