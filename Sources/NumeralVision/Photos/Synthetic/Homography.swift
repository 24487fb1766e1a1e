/// A plane-to-plane projective map (3×3 matrix, h33 = 1): how a tilted camera sees flat paper.
public struct Homography: Sendable {
    public var m: [Double]

    /// The map taking each of `from`'s four points to the matching one of `to`, or nil if degenerate.
    public init?(from: [(Double, Double)], to: [(Double, Double)]) {
        guard from.count == 4, to.count == 4 else { return nil }
        // Eight equations in h11...h32: the standard direct linear transform.
        var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for i in 0..<4 {
            let (x, y) = from[i], (u, v) = to[i]
            a[2 * i] = [x, y, 1, 0, 0, 0, -u * x, -u * y, u]
            a[2 * i + 1] = [0, 0, 0, x, y, 1, -v * x, -v * y, v]
        }
        for col in 0..<8 {
            guard let pivot = (col..<8).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-12 else {
                return nil
            }
            a.swapAt(col, pivot)
            for row in 0..<8 where row != col {
                let f = a[row][col] / a[col][col]
                if f == 0 { continue }
                for k in col..<9 { a[row][k] -= f * a[col][k] }
            }
        }
        m = (0..<8).map { a[$0][8] / a[$0][$0] } + [1]
    }

    init(matrix: [Double]) { m = matrix }

    public static let identity = Homography(matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1])

    @inline(__always)
    public func apply(_ x: Double, _ y: Double) -> (Double, Double) {
        let w = m[6] * x + m[7] * y + m[8]
        return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }

    /// The inverse map (adjugate over determinant), or nil if singular.
    public var inverse: Homography? {
        let a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8]
        let adj = [e * i - f * h, c * h - b * i, b * f - c * e,
                   f * g - d * i, a * i - c * g, c * d - a * f,
                   d * h - e * g, b * g - a * h, a * e - b * d]
        let det = a * adj[0] + b * adj[3] + c * adj[6]
        guard abs(det) > 1e-12 else { return nil }
        return Homography(matrix: adj.map { $0 / det })
    }
}
