/// Maps between window points and drawing coordinates. A drawing keeps the coordinate space
/// of the canvas it was started on; when the window is resized the drawing is scaled
/// uniformly (anchored top-left) to the new canvas instead of being re-sampled.
public struct CanvasMapping: Equatable, Sendable {
    public let canvas: UIRect
    public let drawingSize: UISize

    public init(canvas: UIRect, drawingSize: UISize) {
        self.canvas = canvas
        self.drawingSize = drawingSize
    }

    /// Window points per drawing unit.
    public var scale: Double {
        guard drawingSize.width > 0, drawingSize.height > 0 else { return 1 }
        return min(canvas.width / drawingSize.width, canvas.height / drawingSize.height)
    }

    /// The drawing position of a window point, clamped into the drawing area.
    public func toDrawing(_ p: UIPoint) -> UIPoint {
        let s = scale
        let x = (p.x - canvas.x) / s
        let y = (p.y - canvas.y) / s
        return UIPoint(x: min(max(x, 0), drawingSize.width), y: min(max(y, 0), drawingSize.height))
    }

    public func toWindow(x: Double, y: Double) -> UIPoint {
        let s = scale
        return UIPoint(x: canvas.x + x * s, y: canvas.y + y * s)
    }
}
