/// The axis-aligned box around every point of a drawing, found in the same pass that
/// rejects non-finite coordinates, so bad input is caught before any arithmetic uses it.
struct DrawingBounds: Equatable, Sendable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double
    var pointCount: Int

    /// Halves are subtracted rather than the ends, so coordinates near the Double limit cannot overflow.
    var centerX: Double { minX / 2 + maxX / 2 }
    var centerY: Double { minY / 2 + maxY / 2 }
    var halfWidth: Double { maxX / 2 - minX / 2 }
    var halfHeight: Double { maxY / 2 - minY / 2 }

    /// Throws `.nonFiniteCoordinate` for the first NaN/infinite coordinate and `.nothingDrawn`
    /// when the drawing holds no points.
    init(of drawing: Drawing) throws {
        var minX = Double.infinity, minY = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity
        var count = 0
        for (strokeIndex, stroke) in drawing.strokes.enumerated() {
            for (pointIndex, point) in stroke.points.enumerated() {
                guard point.x.isFinite, point.y.isFinite else {
                    throw VisionError.nonFiniteCoordinate(stroke: strokeIndex, point: pointIndex)
                }
                minX = Swift.min(minX, point.x); maxX = Swift.max(maxX, point.x)
                minY = Swift.min(minY, point.y); maxY = Swift.max(maxY, point.y)
            }
            count += stroke.points.count
            guard count <= Drawing.maxPoints else {
                throw VisionError.tooManyPoints(count: drawing.strokes.reduce(0) { $0 + $1.points.count }, limit: Drawing.maxPoints)
            }
        }
        guard count > 0 else { throw VisionError.nothingDrawn }
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
        self.pointCount = count
    }
}

extension Drawing {
    /// Most points one drawing may hold: minutes of continuous writing at a pen's sampling rate.
    /// Anything larger is refused before any work that grows with it.
    public static let maxPoints = 50_000

    /// Throws the same errors the normalizer would for unusable input: non-finite coordinates,
    /// more than `maxPoints` points or no points at all. Use it to reject a drawing before storing or sending it anywhere.
    public func validate() throws {
        _ = try DrawingBounds(of: self)
    }
}
