import Foundation

/// Random, label-preserving changes to a drawing's strokes for training the trajectory model:
/// rotation, scale (each axis on its own), shear, jitter of every point, a different speed (points
/// dropped), and occasionally another stroke order, a stroke drawn the other way round, a closed
/// loop (a "0") started at another point, or a much narrower digit. The same generator state
/// always gives the same drawing.
public struct DrawingAugmenter: Sendable, Equatable {
    public var maxRotationDegrees: Double
    public var scaleRange: ClosedRange<Double>
    public var maxShear: Double
    /// Standard deviation of point jitter, as a fraction of the drawing's longer side.
    public var jitter: Double
    public var strokeOrderProbability: Double
    public var reverseStrokeProbability: Double
    /// Probability of keeping only every second or third point (a faster pen).
    public var dropPointsProbability: Double
    /// Probability that a stroke ending near where it began starts at another point of its loop.
    public var loopStartProbability: Double
    /// Probability of squeezing the digit to 25-60 % of its width (very narrow digits).
    public var squeezeProbability: Double

    public init(maxRotationDegrees: Double = 12, scaleRange: ClosedRange<Double> = 0.8...1.2, maxShear: Double = 0.2,
                jitter: Double = 0.008, strokeOrderProbability: Double = 0.1, reverseStrokeProbability: Double = 0.05,
                dropPointsProbability: Double = 0.3, loopStartProbability: Double = 0.2, squeezeProbability: Double = 0.1) {
        self.maxRotationDegrees = maxRotationDegrees
        self.scaleRange = scaleRange
        self.maxShear = maxShear
        self.jitter = jitter
        self.strokeOrderProbability = strokeOrderProbability
        self.reverseStrokeProbability = reverseStrokeProbability
        self.dropPointsProbability = dropPointsProbability
        self.loopStartProbability = loopStartProbability
        self.squeezeProbability = squeezeProbability
    }

    public func augment(_ drawing: Drawing, using rng: inout some RandomNumberGenerator) -> Drawing {
        var strokes = drawing.strokes.filter { !$0.points.isEmpty }
        guard !strokes.isEmpty else { return drawing }
        if strokes.count > 1, unit(&rng) < strokeOrderProbability { strokes.shuffle(using: &rng) }
        for i in strokes.indices where unit(&rng) < reverseStrokeProbability { strokes[i].points.reverse() }
        for i in strokes.indices where strokes[i].points.count > 8 && unit(&rng) < loopStartProbability {
            strokes[i].points = Self.restartedLoop(strokes[i].points, at: unit(&rng))
        }
        if unit(&rng) < dropPointsProbability {
            let step = 2 + Int(rng.next() % 2)
            for i in strokes.indices where strokes[i].points.count > 2 * step {
                let points = strokes[i].points
                var kept = stride(from: 0, to: points.count, by: step).map { points[$0] }
                if let last = points.last, kept.last != last { kept.append(last) }
                strokes[i].points = kept
            }
        }
        let all = strokes.flatMap(\.points)
        let minX = all.map(\.x).min() ?? 0, maxX = all.map(\.x).max() ?? 0
        let minY = all.map(\.y).min() ?? 0, maxY = all.map(\.y).max() ?? 0
        let cx = (minX + maxX) / 2, cy = (minY + maxY) / 2
        let size = max(maxX - minX, maxY - minY, 1e-9)
        let angle = (unit(&rng) * 2 - 1) * maxRotationDegrees * .pi / 180
        var sx = scaleRange.lowerBound + unit(&rng) * (scaleRange.upperBound - scaleRange.lowerBound)
        if unit(&rng) < squeezeProbability { sx *= 0.25 + 0.35 * unit(&rng) }
        let sy = scaleRange.lowerBound + unit(&rng) * (scaleRange.upperBound - scaleRange.lowerBound)
        let shear = (unit(&rng) * 2 - 1) * maxShear
        let c = cos(angle), s = sin(angle)
        for i in strokes.indices {
            for j in strokes[i].points.indices {
                var p = strokes[i].points[j]
                let x0 = (p.x - cx) * sx, y0 = (p.y - cy) * sy
                let x1 = x0 + shear * y0
                p.x = cx + c * x1 - s * y0 + gaussian(&rng) * jitter * size
                p.y = cy + s * x1 + c * y0 + gaussian(&rng) * jitter * size
                strokes[i].points[j] = p
            }
        }
        var out = drawing
        out.strokes = strokes
        return out
    }

    /// A closed stroke (its ends closer than a fifth of its extent) started `fraction` of the way
    /// round; other strokes unchanged.
    static func restartedLoop(_ points: [StrokePoint], at fraction: Double) -> [StrokePoint] {
        guard let first = points.first, let last = points.last else { return points }
        let xs = points.map(\.x), ys = points.map(\.y)
        let extent = max((xs.max() ?? 0) - (xs.min() ?? 0), (ys.max() ?? 0) - (ys.min() ?? 0))
        guard extent > 0, hypot(first.x - last.x, first.y - last.y) < extent / 5 else { return points }
        let start = min(max(Int(fraction * Double(points.count)), 0), points.count - 1)
        return Array(points[start...]) + Array(points[..<start]) + [points[start]]
    }

    private func unit(_ rng: inout some RandomNumberGenerator) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

    private func gaussian(_ rng: inout some RandomNumberGenerator) -> Double {
        let u = max(unit(&rng), 1e-12), v = unit(&rng)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
