import Foundation

/// The norm that bounds an adversarial perturbation: the largest change of any one pixel (L∞) or the
/// Euclidean length of the whole change (L2).
public enum AttackNorm: String, Codable, Sendable, CaseIterable {
    case linf, l2

    /// Moves `x` one step of length `stepSize` along the ascent direction `gradient`: its sign for
    /// L∞ (every pixel moves by the step), the gradient scaled to unit L2 length for L2 (a zero
    /// gradient leaves the image where it is).
    func step(_ x: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, stepSize: Float, count: Int) {
        switch self {
        case .linf:
            for i in 0..<count where g[i] != 0 { x[i] += g[i] > 0 ? stepSize : -stepSize }
        case .l2:
            var sum: Double = 0
            for i in 0..<count { sum += Double(g[i]) * Double(g[i]) }
            let length = Float(sum.squareRoot())
            guard length > 0, length.isFinite else { return }
            let scale = stepSize / length
            for i in 0..<count { x[i] += g[i] * scale }
        }
    }

    /// Projects `x` onto the ball of radius `epsilon` around `origin`, then into the valid pixel
    /// range [0, 1]. For L∞ the order does not matter (both are boxes); for L2 clipping after the
    /// projection can only shorten the perturbation, so the result stays within ε.
    func project(_ x: UnsafeMutablePointer<Float>, around origin: UnsafePointer<Float>, epsilon: Float, count: Int) {
        switch self {
        case .linf:
            for i in 0..<count {
                let lo = max(origin[i] - epsilon, 0), hi = min(origin[i] + epsilon, 1)
                x[i] = min(max(x[i], lo), hi)
            }
        case .l2:
            var sum: Double = 0
            for i in 0..<count { let d = Double(x[i] - origin[i]); sum += d * d }
            let length = Float(sum.squareRoot())
            if length > epsilon {
                let scale = epsilon / length
                for i in 0..<count { x[i] = origin[i] + (x[i] - origin[i]) * scale }
            }
            for i in 0..<count { x[i] = min(max(x[i], 0), 1) }
        }
    }

    /// A uniformly random point of the ε-ball around `origin` (clipped to [0, 1]) written to `x`:
    /// every pixel uniform in [−ε, ε] for L∞; for L2 a uniform direction (normalized Gaussian) and
    /// a radius ε·u^(1/d), which is uniform in the ball's volume.
    func randomStart(_ x: UnsafeMutablePointer<Float>, around origin: UnsafePointer<Float>, epsilon: Float, count: Int,
                     using rng: inout SeededGenerator) {
        switch self {
        case .linf:
            for i in 0..<count { x[i] = origin[i] + (2 * rng.nextFloat() - 1) * epsilon }
        case .l2:
            var sum: Double = 0
            for i in 0..<count { let v = rng.nextGaussian(); x[i] = v; sum += Double(v) * Double(v) }
            let radius = epsilon * Float(pow(Double(rng.nextFloat()), 1 / Double(count)))
            let scale = sum > 0 ? radius / Float(sum.squareRoot()) : 0
            for i in 0..<count { x[i] = origin[i] + x[i] * scale }
        }
        project(x, around: origin, epsilon: epsilon, count: count)
    }

    /// The size of `x − origin` in this norm.
    public func distance(_ x: UnsafePointer<Float>, _ origin: UnsafePointer<Float>, count: Int) -> Float {
        switch self {
        case .linf:
            var m: Float = 0
            for i in 0..<count { m = max(m, abs(x[i] - origin[i])) }
            return m
        case .l2:
            var sum: Double = 0
            for i in 0..<count { let d = Double(x[i] - origin[i]); sum += d * d }
            return Float(sum.squareRoot())
        }
    }
}
