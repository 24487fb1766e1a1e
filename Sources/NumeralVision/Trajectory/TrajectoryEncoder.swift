import Foundation

/// Turns a drawing's pen path into a fixed-length feature vector for the trajectory model: the
/// strokes in the order they were drawn, joined by the pen's jumps between them, resampled to
/// `points` points equally spaced along the path (so drawing speed does not matter), each with
/// its position (the ink box centred and its longer side scaled to 2, aspect kept unless it is
/// below `aspectFloor`, which widens very narrow digits the way `DrawingNormalizer` does), the
/// direction the pen was moving (a unit vector) and whether the pen was up there (on a jump).
public struct TrajectoryEncoder: Equatable, Sendable {
    public static let featuresPerPoint = 5
    public let points: Int
    /// When the ink box's shorter side is less than this fraction r of the longer one, it is
    /// stretched to `sqrt(r * aspectFloor)` of it (as `DrawingNormalizer` does); 0 keeps the aspect.
    public let aspectFloor: Double

    /// `points` is clamped to 4...256 and `aspectFloor` to 0...1.
    public init(points: Int = 32, aspectFloor: Double = 0) {
        self.points = min(max(points, 4), 256)
        self.aspectFloor = aspectFloor.isFinite ? min(max(aspectFloor, 0), 1) : 0
    }

    public var featureCount: Int { points * Self.featuresPerPoint }

    /// Writes `featureCount` values into `out`. Throws what the normalizer throws for unusable
    /// drawings (no points, non-finite coordinates, too many points).
    public func encode(_ drawing: Drawing, into out: UnsafeMutableBufferPointer<Float>) throws {
        precondition(out.count == featureCount, "TrajectoryEncoder needs \(featureCount) values")
        let bounds = try DrawingBounds(of: drawing)
        let half = max(bounds.halfWidth, bounds.halfHeight)
        let magnitude = max(abs(bounds.centerX), abs(bounds.centerY), 1)
        let scale = half > magnitude * 1e-12 ? 1 / half : 0
        var scaleX = scale, scaleY = scale
        let ratio = half > 0 ? min(bounds.halfWidth, bounds.halfHeight) / half : 1
        if aspectFloor > 0, ratio > 0, ratio < aspectFloor {
            let stretch = (aspectFloor / ratio).squareRoot()
            if bounds.halfWidth < bounds.halfHeight { scaleX *= stretch } else { scaleY *= stretch }
        }
        // The path: (x, y, pen up on the way here) in normalized coordinates, relative to the box's centre.
        var path: [(x: Double, y: Double, up: Bool)] = []
        path.reserveCapacity(bounds.pointCount)
        for stroke in drawing.strokes {
            for (index, point) in stroke.points.enumerated() {
                path.append(((point.x - bounds.centerX) * scaleX, (point.y - bounds.centerY) * scaleY, index == 0 && !path.isEmpty))
            }
        }
        var cumulative = [Double](repeating: 0, count: path.count)
        for i in 1..<max(path.count, 1) {
            cumulative[i] = cumulative[i - 1] + hypot(path[i].x - path[i - 1].x, path[i].y - path[i - 1].y)
        }
        let total = cumulative.last ?? 0
        var resampled = [(x: Double, y: Double, up: Bool)](repeating: (0, 0, false), count: points)
        var segment = 1
        for k in 0..<points {
            let target = total * Double(k) / Double(points - 1)
            while segment < path.count - 1 && cumulative[segment] < target { segment += 1 }
            if path.count == 1 || total == 0 {
                resampled[k] = (path[0].x, path[0].y, false)
                continue
            }
            let a = path[segment - 1], b = path[segment]
            let length = cumulative[segment] - cumulative[segment - 1]
            let t = length > 0 ? min(max((target - cumulative[segment - 1]) / length, 0), 1) : 0
            resampled[k] = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, b.up)
        }
        for k in 0..<points {
            let from = resampled[max(k - 1, 0)], to = resampled[min(k + 1, points - 1)]
            let dx = to.x - from.x, dy = to.y - from.y
            let norm = hypot(dx, dy)
            let base = k * Self.featuresPerPoint
            out[base] = Float(resampled[k].x)
            out[base + 1] = Float(resampled[k].y)
            out[base + 2] = norm > 1e-9 ? Float(dx / norm) : 0
            out[base + 3] = norm > 1e-9 ? Float(dy / norm) : 0
            out[base + 4] = resampled[k].up ? 1 : 0
        }
    }

    public func encode(_ drawing: Drawing) throws -> [Float] {
        var out = [Float](repeating: 0, count: featureCount)
        try out.withUnsafeMutableBufferPointer { try encode(drawing, into: $0) }
        return out
    }
}
