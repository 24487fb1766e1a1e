import Foundation

/// Several slightly different model inputs for one drawing, so a recognizer can average its
/// predictions and be less sensitive to exactly where and at what slant a digit was drawn.
/// Transformations act on the strokes (rotation) or on the placement (shift), so every variant
/// is rendered crisply instead of resampled from the plain image.
public struct TestTimeAugmentation: Equatable, Sendable {
    public enum Variant: Equatable, Sendable {
        case plain
        /// Shift in output pixels after centering; positive x right, positive y down.
        case shift(x: Double, y: Double)
        /// Rotation of the strokes before fitting; positive is clockwise on screen.
        case rotation(degrees: Double)
    }

    /// Plain, four 1-pixel shifts and rotations of 8 degrees either way.
    public static let standardVariants: [Variant] = [
        .plain,
        .shift(x: 1, y: 0), .shift(x: -1, y: 0), .shift(x: 0, y: 1), .shift(x: 0, y: -1),
        .rotation(degrees: -8), .rotation(degrees: 8),
    ]

    /// The variants produced, always starting with `.plain`.
    public let variantKinds: [Variant]

    /// `.plain` is moved to (or added at) the front, so the first image is always the plain one.
    public init(variants: [Variant] = TestTimeAugmentation.standardVariants) {
        variantKinds = [.plain] + variants.filter { $0 != .plain }
    }

    /// One image per variant, in `variantKinds` order. Throws the normalizer's errors for empty
    /// or corrupt drawings.
    public func variants(of drawing: Drawing, normalizer: DrawingNormalizer) throws -> [GrayImage] {
        try variantKinds.map { variant in
            switch variant {
            case .plain:
                return try normalizer.normalize(drawing)
            case let .shift(x, y):
                return try normalizer.normalize(drawing, rotation: 0, shiftX: x, shiftY: y)
            case let .rotation(degrees):
                return try normalizer.normalize(drawing, rotation: degrees * .pi / 180, shiftX: 0, shiftY: 0)
            }
        }
    }
}
