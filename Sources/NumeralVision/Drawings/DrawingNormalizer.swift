/// Turns a drawing into the square gray image the model sees, the way MNIST was made:
/// the ink is fitted into a `targetBox` square (longer side, aspect kept), then moved so its
/// center of mass sits at the image center. Because we have vectors, strokes are drawn directly
/// at target scale with a fixed pen, so the canvas brush width and the size the digit was drawn at
/// do not change stroke thickness: small digits do not become blobs, large ones not hairlines.
public struct DrawingNormalizer: Equatable, Sendable {
    /// Pen diameter in output pixels, measured between the 50% coverage points of the edge.
    public let penWidth: Double
    /// Longer side of the inked box in output pixels (pen included), as in MNIST's 20x20 box.
    public let targetBox: Double
    /// Output width and height in pixels.
    public let size: Int
    /// Width in pixels of the anti-aliased rim over which coverage falls from 1 to 0.
    public let edgeSoftness: Double
    /// 0 ignores pressure; e.g. 0.3 makes full pressure 30% wider and no pressure 30% thinner.
    public let pressureInfluence: Double
    /// Drawings whose shorter side is below this fraction of the longer one are stretched along
    /// the shorter side (to the geometric mean of their ratio and this floor), so a very narrow
    /// "0" keeps its hole open at 20 px; 0 keeps every aspect ratio as MNIST did.
    public let aspectFloor: Double

    /// Defaults reproduce MNIST's ink statistics on pen-drawn digits: mean intensity, fraction of
    /// inked pixels and fraction of pixels above 0.5 (see DrawingNormalizerStatisticsTests).
    public static let defaultPenWidth = 2.7
    public static let defaultEdgeSoftness = 1.25
    /// Chosen on narrow zeros and ones (`numeral eval --narrow`) and pen digits of writers 1-25;
    /// see the README's "From strokes and pictures to model input".
    public static let defaultAspectFloor = 0.5

    /// Out-of-range parameters are clamped: pen width and softness to >= 0, size to >= 1.
    public init(penWidth: Double = DrawingNormalizer.defaultPenWidth, targetBox: Double = 20, size: Int = 28,
                edgeSoftness: Double = DrawingNormalizer.defaultEdgeSoftness, pressureInfluence: Double = 0,
                aspectFloor: Double = DrawingNormalizer.defaultAspectFloor) {
        self.penWidth = penWidth.isFinite ? max(penWidth, 0) : DrawingNormalizer.defaultPenWidth
        self.targetBox = targetBox.isFinite ? max(targetBox, 0) : 20
        self.size = max(size, 1)
        self.edgeSoftness = edgeSoftness.isFinite ? max(edgeSoftness, 0) : DrawingNormalizer.defaultEdgeSoftness
        self.pressureInfluence = pressureInfluence.isFinite ? min(max(pressureInfluence, -0.75), 0.75) : 0
        self.aspectFloor = aspectFloor.isFinite ? min(max(aspectFloor, 0), 1) : DrawingNormalizer.defaultAspectFloor
    }

    /// Throws `VisionError.nothingDrawn` for a drawing without points and
    /// `VisionError.nonFiniteCoordinate` for NaN or infinite coordinates.
    public func normalize(_ drawing: Drawing) throws -> GrayImage {
        try normalize(drawing, rotation: 0, shiftX: 0, shiftY: 0)
    }

    /// The same, with the strokes rotated by `rotation` radians (clockwise on screen) before
    /// fitting, and the result shifted by (`shiftX`, `shiftY`) output pixels after centering.
    /// Used for test-time augmentation; shifted ink may be clipped at the border.
    public func normalize(_ drawing: Drawing, rotation: Double, shiftX: Double, shiftY: Double) throws -> GrayImage {
        let bounds = try DrawingBounds(of: drawing)
        let center = Double(size) / 2
        // Centerlines span targetBox minus the pen and its soft rim, so the inked box is targetBox.
        var placement = StrokePlacement.fitting(
            drawing, bounds: bounds, rotation: rotation.isFinite ? rotation : 0,
            span: targetBox - penWidth - edgeSoftness, centerX: center, centerY: center, aspectFloor: aspectFloor)
        let rasterizer = StrokeRasterizer(radius: penWidth / 2, softness: edgeSoftness,
                                          pressureInfluence: pressureInfluence)
        var pixels = [Float](repeating: 0, count: size * size)
        pixels.withUnsafeMutableBufferPointer { canvas in
            rasterizer.render(drawing, placement: placement, size: size, into: canvas)
            // Rendering is cheap, so the center of mass is corrected by re-rendering with an offset
            // rather than by resampling. Point-sampled coverage shifts a little with sub-pixel
            // offsets, so a second correction runs when the first leaves more than a 50th of a pixel.
            for _ in 0..<2 {
                guard let (comX, comY) = Self.centerOfMass(canvas, size: size),
                      abs(comX - center) > 0.02 || abs(comY - center) > 0.02 else { break }
                placement.translateX += center - comX
                placement.translateY += center - comY
                for index in canvas.indices { canvas[index] = 0 }
                rasterizer.render(drawing, placement: placement, size: size, into: canvas)
            }
            if shiftX != 0 || shiftY != 0, shiftX.isFinite, shiftY.isFinite {
                placement.translateX += shiftX
                placement.translateY += shiftY
                for index in canvas.indices { canvas[index] = 0 }
                rasterizer.render(drawing, placement: placement, size: size, into: canvas)
            }
        }
        return GrayImage(width: size, height: size, pixels: pixels)
    }

    /// Center of mass in continuous pixel coordinates (pixel i spans [i, i+1)); nil without ink.
    static func centerOfMass(_ canvas: UnsafeMutableBufferPointer<Float>, size: Int) -> (Double, Double)? {
        var total: Float = 0, sumX: Float = 0, sumY: Float = 0
        for y in 0..<size {
            var rowTotal: Float = 0, rowSumX: Float = 0
            let row = y * size
            for x in 0..<size {
                let value = canvas[row + x]
                rowTotal += value
                rowSumX += value * Float(x)
            }
            total += rowTotal
            sumX += rowSumX
            sumY += rowTotal * Float(y)
        }
        guard total > 0 else { return nil }
        return (Double(sumX / total) + 0.5, Double(sumY / total) + 0.5)
    }
}
