/// Sparse samples (tablets reporting every 100 ms, fast mouse moves) turn curves into polygons.
/// Centripetal Catmull-Rom interpolation puts the curve back: it passes through every original
/// point and, unlike the uniform variant, never overshoots into loops at sharp corners.
extension Drawing {
    /// The same drawing with extra points inserted so no segment is longer than
    /// `maximumSegmentLength` (in drawing units); original points are kept. A non-positive or
    /// non-finite length returns the drawing unchanged. Pressure and time are interpolated linearly.
    public func smoothed(maximumSegmentLength: Double) -> Drawing {
        guard maximumSegmentLength > 0, maximumSegmentLength.isFinite else { return self }
        var copy = self
        copy.strokes = strokes.map { $0.smoothed(maximumSegmentLength: maximumSegmentLength) }
        return copy
    }
}

extension Stroke {
    public func smoothed(maximumSegmentLength: Double) -> Stroke {
        guard points.count >= 3, maximumSegmentLength > 0, maximumSegmentLength.isFinite else { return self }
        var result: [StrokePoint] = [points[0]]
        result.reserveCapacity(points.count * 2)
        for index in 0..<(points.count - 1) {
            let p1 = points[index], p2 = points[index + 1]
            // End segments reflect their neighbour to get the missing control point.
            let p0 = index > 0 ? points[index - 1] : reflect(points[1], about: p1)
            let p3 = index + 2 < points.count ? points[index + 2] : reflect(points[index], about: p2)
            let length = distance(p1, p2)
            let pieces = length.isFinite ? Int(min((length / maximumSegmentLength).rounded(.up), 1_000)) : 1
            if pieces > 1 {
                for piece in 1..<pieces {
                    result.append(catmullRom(p0, p1, p2, p3, fraction: Double(piece) / Double(pieces)))
                }
            }
            result.append(p2)
        }
        return Stroke(points: result)
    }

    private func distance(_ a: StrokePoint, _ b: StrokePoint) -> Double {
        ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
    }

    private func reflect(_ point: StrokePoint, about center: StrokePoint) -> StrokePoint {
        StrokePoint(x: 2 * center.x - point.x, y: 2 * center.y - point.y)
    }

    /// Barry-Goldman evaluation of the centripetal (alpha = 0.5) spline between p1 and p2.
    private func catmullRom(_ p0: StrokePoint, _ p1: StrokePoint, _ p2: StrokePoint, _ p3: StrokePoint,
                            fraction: Double) -> StrokePoint {
        // Knot spacing is sqrt(distance); tiny epsilons keep repeated points from dividing by zero.
        let d01 = max(distance(p0, p1).squareRoot(), 1e-9)
        let d12 = max(distance(p1, p2).squareRoot(), 1e-9)
        let d23 = max(distance(p2, p3).squareRoot(), 1e-9)
        let t0 = 0.0, t1 = d01, t2 = t1 + d12, t3 = t2 + d23
        let t = t1 + (t2 - t1) * fraction
        func lerp(_ a: (Double, Double), _ b: (Double, Double), _ ta: Double, _ tb: Double) -> (Double, Double) {
            let wa = (tb - t) / (tb - ta), wb = (t - ta) / (tb - ta)
            return (wa * a.0 + wb * b.0, wa * a.1 + wb * b.1)
        }
        let a1 = lerp((p0.x, p0.y), (p1.x, p1.y), t0, t1)
        let a2 = lerp((p1.x, p1.y), (p2.x, p2.y), t1, t2)
        let a3 = lerp((p2.x, p2.y), (p3.x, p3.y), t2, t3)
        let b1 = lerp(a1, a2, t0, t2)
        let b2 = lerp(a2, a3, t1, t3)
        let c = lerp(b1, b2, t1, t2)
        var point = StrokePoint(x: c.0, y: c.1)
        if let pa = p1.pressure, let pb = p2.pressure { point.pressure = pa + (pb - pa) * fraction }
        if let ta = p1.time, let tb = p2.time { point.time = ta + (tb - ta) * fraction }
        return point
    }
}
