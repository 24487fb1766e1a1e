/// A point in window coordinates (logical points, y pointing down), the space SDL reports
/// pointer positions in and the layout is computed in.
public struct UIPoint: Equatable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

public struct UISize: Equatable, Sendable, Codable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
}

/// An axis-aligned rectangle in window points.
public struct UIRect: Equatable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = UIRect(x: 0, y: 0, width: 0, height: 0)

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var center: UIPoint { UIPoint(x: x + width / 2, y: y + height / 2) }
    public var size: UISize { UISize(width: width, height: height) }

    /// Half-open on the far edges so adjacent rectangles never both claim a point.
    public func contains(_ p: UIPoint) -> Bool {
        p.x >= minX && p.x < maxX && p.y >= minY && p.y < maxY
    }

    public func insetBy(dx: Double, dy: Double) -> UIRect {
        UIRect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// The nearest point inside the rectangle, so a stroke dragged past the canvas edge
    /// stays on the canvas instead of jumping.
    public func clamp(_ p: UIPoint) -> UIPoint {
        UIPoint(x: min(max(p.x, minX), maxX), y: min(max(p.y, minY), maxY))
    }

    /// Splits off a slice of `amount` from the top and returns (slice, remainder minus gap).
    public func sliceTop(_ amount: Double, gap: Double = 0) -> (UIRect, UIRect) {
        let a = min(amount, height)
        return (UIRect(x: x, y: y, width: width, height: a),
                UIRect(x: x, y: y + a + gap, width: width, height: height - a - gap))
    }

    public func sliceBottom(_ amount: Double, gap: Double = 0) -> (UIRect, UIRect) {
        let a = min(amount, height)
        return (UIRect(x: x, y: maxY - a, width: width, height: a),
                UIRect(x: x, y: y, width: width, height: height - a - gap))
    }

    public func sliceLeft(_ amount: Double, gap: Double = 0) -> (UIRect, UIRect) {
        let a = min(amount, width)
        return (UIRect(x: x, y: y, width: a, height: height),
                UIRect(x: x + a + gap, y: y, width: width - a - gap, height: height))
    }

    public func sliceRight(_ amount: Double, gap: Double = 0) -> (UIRect, UIRect) {
        let a = min(amount, width)
        return (UIRect(x: maxX - a, y: y, width: a, height: height),
                UIRect(x: x, y: y, width: width - a - gap, height: height))
    }
}
