import NumeralVision

/// What one drawing sent to the API may hold. Splitting into digits costs time with the number
/// of strokes and points, so a request past these is refused before any work is done.
public struct DrawingLimits: Sendable, Equatable {
    public var maxStrokes = 200
    public var maxPoints = 20_000
    public var maxDigits = 12
    /// Coordinates beyond ±this are not from a canvas.
    public var maxCoordinate = 100_000.0
    /// PNG pictures larger than this many pixels are refused before decoding (a PNG cannot be
    /// decoded at a reduced size, and a 48-megapixel one takes 190 MB); JPEGs of any size up
    /// to the decoder's own cap are decoded reduced to at most `JPEGCodec.workingPixels`.
    public var maxPNGPixels = 16_777_216

    public init() {}

    /// Throws `ServiceError.badRequest` naming the limit that was passed.
    public func check(_ drawing: Drawing) throws {
        guard drawing.strokes.count <= maxStrokes else {
            throw ServiceError.badRequest("The drawing has \(drawing.strokes.count) strokes; at most \(maxStrokes) are accepted.")
        }
        var points = 0
        for (s, stroke) in drawing.strokes.enumerated() {
            points += stroke.points.count
            guard points <= maxPoints else {
                throw ServiceError.badRequest("The drawing has more than \(maxPoints) points; send fewer (thin out the strokes).")
            }
            for (p, point) in stroke.points.enumerated() {
                guard point.x.isFinite, point.y.isFinite, abs(point.x) <= maxCoordinate, abs(point.y) <= maxCoordinate else {
                    throw ServiceError.badRequest("Stroke \(s + 1) point \(p + 1) is not a finite coordinate within ±\(Int(maxCoordinate)).")
                }
            }
        }
        guard points > 0 else { throw ServiceError.badRequest("The drawing has no points: draw a digit first.") }
    }

    /// Throws when segmentation found more digits than a request may hold.
    public func checkDigitCount(_ count: Int) throws {
        guard count <= maxDigits else {
            throw ServiceError.badRequest("The input holds \(count) digits; at most \(maxDigits) are read at once.")
        }
    }
}
