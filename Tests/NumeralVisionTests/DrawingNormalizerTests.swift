import Foundation
import XCTest
@testable import NumeralVision

final class DrawingNormalizerTests: XCTestCase {
    let normalizer = DrawingNormalizer()

    // MARK: helpers

    static func drawing(_ strokes: [[(Double, Double)]]) -> Drawing {
        Drawing(strokes: strokes.map { Stroke(points: $0.map { StrokePoint(x: $0.0, y: $0.1) }) })
    }

    /// A '7': a bar and a slanted stem, in a 300x400 canvas area.
    static let seven = drawing([[(100, 100), (300, 100), (180, 500)]])

    struct Measured {
        var comX: Double, comY: Double, width: Int, height: Int, total: Double, max: Float, min: Float
    }

    static func measure(_ image: GrayImage, threshold: Float = 0) -> Measured {
        var total = 0.0, sumX = 0.0, sumY = 0.0
        var minX = Int.max, maxX = Int.min, minY = Int.max, maxY = Int.min
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > threshold {
                let value = Double(image[x, y])
                total += value; sumX += value * (Double(x) + 0.5); sumY += value * (Double(y) + 0.5)
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return Measured(comX: sumX / total, comY: sumY / total,
                        width: maxX - minX + 1, height: maxY - minY + 1, total: total,
                        max: image.pixels.max() ?? 0, min: image.pixels.min() ?? 0)
    }

    func assertCentered(_ image: GrayImage, file: StaticString = #filePath, line: UInt = #line) {
        let m = Self.measure(image)
        XCTAssertEqual(m.comX, 14, accuracy: 0.5, "center of mass x", file: file, line: line)
        XCTAssertEqual(m.comY, 14, accuracy: 0.5, "center of mass y", file: file, line: line)
    }

    // MARK: shape of the output

    func testOutputIs28x28InUnitRange() throws {
        let image = try normalizer.normalize(Self.seven)
        XCTAssertEqual(image.width, 28)
        XCTAssertEqual(image.height, 28)
        XCTAssertEqual(image.pixels.count, 784)
        XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 && $0.isFinite })
        XCTAssertEqual(image.pixels.max(), 1, "the pen core is solid ink")
        XCTAssertTrue(image.pixels.contains { $0 > 0.05 && $0 < 0.95 }, "edges are anti-aliased")
    }

    func testCenterOfMassIsAtTheCenterWithSubPixelPrecision() throws {
        for drawing in [Self.seven,
                        Self.drawing([[(0, 0), (10, 0), (10, 10)]]),                   // lopsided corner
                        Self.drawing([[(0, 0), (0, 100)], [(0, 0), (60, 0)]])] {       // an L
            let m = Self.measure(try normalizer.normalize(drawing))
            XCTAssertEqual(m.comX, 14, accuracy: 0.05)
            XCTAssertEqual(m.comY, 14, accuracy: 0.05)
        }
    }

    func testLongerSideOfInkIs20Pixels() throws {
        let wide = Self.drawing([[(0, 0), (400, 0), (400, 100), (0, 100)]])
        let tall = Self.drawing([[(0, 0), (50, 0), (50, 300), (0, 300)]])
        for drawing in [Self.seven, wide, tall] {
            let m = Self.measure(try normalizer.normalize(drawing))
            XCTAssertTrue((19...21).contains(max(m.width, m.height)), "longer side \(max(m.width, m.height))")
        }
        let w = Self.measure(try DrawingNormalizer(aspectFloor: 0).normalize(wide))
        XCTAssertTrue((6...9).contains(w.height), "aspect kept: 4:1 box gives a short side of ~7, got \(w.height)")
        // Below the aspect floor (0.5) the short side is widened to sqrt(0.25 * 0.5) = 0.35 of the long one.
        let floored = Self.measure(try normalizer.normalize(wide))
        XCTAssertTrue((9...11).contains(floored.height), "4:1 box with the aspect floor: short side ~10, got \(floored.height)")
    }

    func testOutputTargetSizeAndBoxAreParameters() throws {
        let big = DrawingNormalizer(targetBox: 40, size: 56)
        let image = try big.normalize(Self.seven)
        XCTAssertEqual(image.width, 56)
        let m = Self.measure(image)
        XCTAssertTrue((39...41).contains(max(m.width, m.height)))
        XCTAssertEqual(m.comX, 28, accuracy: 0.5)
    }

    // MARK: pen width does not depend on how the digit was drawn

    func testStrokeThicknessIsIndependentOfDrawingScale() throws {
        let tiny = Drawing(strokes: Self.seven.strokes.map { stroke in
            Stroke(points: stroke.points.map { StrokePoint(x: $0.x / 40 + 7, y: $0.y / 40 + 3) })
        })
        let a = try normalizer.normalize(Self.seven)
        let b = try normalizer.normalize(tiny)
        let difference = zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? 1
        XCTAssertLessThan(difference, 1e-3, "a 40x smaller 7 must render identically")
    }

    func testPenWidthParameterChangesInkAmount() throws {
        let thin = Self.measure(try DrawingNormalizer(penWidth: 1.5).normalize(Self.seven)).total
        let thick = Self.measure(try DrawingNormalizer(penWidth: 3.5).normalize(Self.seven)).total
        XCTAssertGreaterThan(thick, thin * 1.8)
    }

    func testPressureModulatesWidthOnlyWhenEnabled() throws {
        func pressed(_ pressure: Double) -> Drawing {
            Drawing(strokes: Self.seven.strokes.map { stroke in
                Stroke(points: stroke.points.map { StrokePoint(x: $0.x, y: $0.y, pressure: pressure) })
            })
        }
        let plain = try normalizer.normalize(Self.seven)
        XCTAssertEqual(try normalizer.normalize(pressed(1)), plain, "pressure is ignored by default")
        let sensitive = DrawingNormalizer(pressureInfluence: 0.3)
        let hard = Self.measure(try sensitive.normalize(pressed(1))).total
        let soft = Self.measure(try sensitive.normalize(pressed(0))).total
        XCTAssertGreaterThan(hard, soft * 1.3)
    }

    // MARK: bad input

    func testNonFiniteCoordinatesAreRejected() {
        for bad in [Double.nan, .infinity, -.infinity] {
            let drawing = Self.drawing([[(1, 1), (2, 2)], [(3, 3), (4, bad)]])
            XCTAssertThrowsError(try normalizer.normalize(drawing)) { error in
                XCTAssertEqual(error as? VisionError, .nonFiniteCoordinate(stroke: 1, point: 1))
            }
        }
    }

    func testEmptyDrawingsAreRejected() {
        for drawing in [Drawing(strokes: []), Drawing(strokes: [Stroke(points: []), Stroke(points: [])])] {
            XCTAssertThrowsError(try normalizer.normalize(drawing)) { error in
                XCTAssertEqual(error as? VisionError, .nothingDrawn)
                XCTAssertTrue("\(error)".contains("draw"))
            }
        }
    }

    // MARK: degenerate and extreme geometry

    func testSinglePointIsASmallDotAtTheCenter() throws {
        for drawing in [Self.drawing([[(250, 250)]]),
                        Self.drawing([[(7, 7), (7, 7), (7, 7)], [(7, 7)]])] {
            let image = try normalizer.normalize(drawing)
            let m = Self.measure(image)
            assertCentered(image)
            XCTAssertLessThanOrEqual(max(m.width, m.height), 5, "a dot stays a dot")
            XCTAssertGreaterThan(m.max, 0.9)
        }
    }

    func testVerticalLineIsScaledByItsHeight() throws {
        let image = try normalizer.normalize(Self.drawing([[(100, 50), (100, 450)]]))
        let m = Self.measure(image)
        XCTAssertTrue((19...21).contains(m.height), "height \(m.height)")
        XCTAssertLessThanOrEqual(m.width, 5, "a 1 stays thin")
        assertCentered(image)
    }

    func testHorizontalLineIsScaledByItsWidth() throws {
        let m = Self.measure(try normalizer.normalize(Self.drawing([[(10, 300), (60, 300)]])))
        XCTAssertTrue((19...21).contains(m.width))
        XCTAssertLessThanOrEqual(m.height, 5)
    }

    func testHugeCoordinatesGiveTheSameImage() throws {
        let far = Drawing(strokes: Self.seven.strokes.map { stroke in
            Stroke(points: stroke.points.map { StrokePoint(x: $0.x + 1e6, y: $0.y - 1e6) })
        })
        let huge = Drawing(strokes: Self.seven.strokes.map { stroke in
            Stroke(points: stroke.points.map { StrokePoint(x: $0.x * 1e6, y: $0.y * 1e6) })
        })
        let reference = try normalizer.normalize(Self.seven)
        for drawing in [far, huge] {
            let image = try normalizer.normalize(drawing)
            let difference = zip(reference.pixels, image.pixels).map { abs($0 - $1) }.max() ?? 1
            XCTAssertLessThan(difference, 1e-3)
        }
        // Near the Double limit nothing may overflow into NaN.
        let extreme = Self.drawing([[(-1e308, -1e308), (1e308, 1e308)]])
        let image = try normalizer.normalize(extreme)
        XCTAssertTrue(image.pixels.allSatisfy(\.isFinite))
        assertCentered(image)
    }

    func testPointsOutsideTheCanvasAreFine() throws {
        var inside = Self.seven
        inside.width = 400; inside.height = 400
        var outside = inside
        outside.strokes = inside.strokes.map { Stroke(points: $0.points.map { StrokePoint(x: $0.x - 900, y: $0.y + 700) }) }
        XCTAssertEqual(try normalizer.normalize(outside), try normalizer.normalize(inside))
    }

    func testTenThousandPointStrokeIsHandledQuickly() throws {
        // A spiral with 10k points: dense sampling must look like the same curve drawn sparsely.
        let dense = Stroke(points: (0..<10_000).map { i in
            let t = Double(i) / 10_000 * 6 * .pi
            return StrokePoint(x: 200 + t * 10 * cos(t), y: 200 + t * 10 * sin(t))
        })
        let start = Date()
        let image = try normalizer.normalize(Drawing(strokes: [dense]))
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        let m = Self.measure(image)
        XCTAssertTrue((19...21).contains(max(m.width, m.height)))
        assertCentered(image)
        let sparse = Stroke(points: stride(from: 0, to: 10_000, by: 50).map { dense.points[$0] })
        let sparseImage = try normalizer.normalize(Drawing(strokes: [sparse]))
        let difference = zip(image.pixels, sparseImage.pixels).map { abs($0 - $1) }.reduce(0, +) / 784
        XCTAssertLessThan(difference, 0.02)
    }

    func testLongThinStrokeAndManyStrokes() throws {
        let needle = Self.drawing([[(0, 0), (1e5, 1)]])
        XCTAssertTrue((19...21).contains(Self.measure(try normalizer.normalize(needle)).width))
        let dots = Drawing(strokes: (0..<3_000).map { i in
            Stroke(points: [StrokePoint(x: Double(i % 50), y: Double(i / 50))])
        })
        let image = try normalizer.normalize(dots)
        assertCentered(image)
    }

    func testNormalizationIsFast() throws {
        // A typical digit: ~60 points over two strokes. The budget is < 50 µs in optimized builds;
        // the assertion leaves room for debug builds and a busy shared machine.
        let four = Drawing(strokes: [
            Stroke(points: (0..<40).map { StrokePoint(x: 150 - Double($0) * 2, y: 100 + Double($0) * 7) }
                + (0..<20).map { StrokePoint(x: 70 + Double($0) * 10, y: 380) }),
            Stroke(points: (0..<20).map { StrokePoint(x: 200, y: 120 + Double($0) * 20) }),
        ])
        let runs = 2_000
        let start = Date()
        for _ in 0..<runs { _ = try normalizer.normalize(four) }
        let perCall = Date().timeIntervalSince(start) / Double(runs)
        print(String(format: "normalize: %.1f µs per typical digit", perCall * 1e6))
        XCTAssertLessThan(perCall, 500e-6)
    }
}
