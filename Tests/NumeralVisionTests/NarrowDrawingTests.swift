import Foundation
import NumeralVision
import XCTest

/// Very narrow (or flat) drawings keep their strokes apart: the normalizer widens the shorter side
/// of a box thinner than its aspect floor, so a narrow "0" keeps an open hole at 20 px.
final class NarrowDrawingTests: XCTestCase {
    private func ellipse(width: Double, height: Double) -> Drawing {
        let points = (0...72).map { i -> StrokePoint in
            let a = Double(i) / 72 * 2 * .pi
            return StrokePoint(x: 250 + width / 2 * cos(a), y: 250 + height / 2 * sin(a))
        }
        return Drawing(strokes: [Stroke(points: points)])
    }

    /// Ink along the middle row (row 14) between the two sides of the ring: the hole's darkest point.
    private func holeInk(_ image: GrayImage) -> Float {
        let row = 14
        let values = (0..<image.width).map { image[$0, row] }
        guard let left = values.firstIndex(where: { $0 > 0.5 }), let right = values.lastIndex(where: { $0 > 0.5 }),
              right > left else { return 1 }
        // The lowest value between the two strokes' peaks.
        let leftPeak = (left..<min(left + 3, right)).max { values[$0] < values[$1] } ?? left
        let rightPeak = (max(right - 2, left)...right).max { values[$0] < values[$1] } ?? right
        guard rightPeak > leftPeak + 1 else { return 1 }
        return values[(leftPeak + 1)..<rightPeak].min() ?? 1
    }

    private func inkWidth(_ image: GrayImage) -> Int {
        var minX = image.width, maxX = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > 0.2 { minX = min(minX, x); maxX = max(maxX, x) }
        }
        return maxX - minX + 1
    }

    func testNarrowZeroKeepsItsHoleOpen() throws {
        for width in [60.0, 70, 80, 100] {
            let image = try DrawingNormalizer().normalize(ellipse(width: width, height: 380))
            XCTAssertLessThan(holeInk(image), 0.35, "a \(Int(width))x380 zero's hole closed")
            // With the aspect ratio kept (the old normalization) the hole closes.
            let kept = try DrawingNormalizer(aspectFloor: 0).normalize(ellipse(width: width, height: 380))
            XCTAssertGreaterThan(holeInk(kept), holeInk(image), "width \(Int(width))")
        }
    }

    func testOrdinaryShapesAreUnchanged() throws {
        // Ratio 0.67 (the golden zero) and a 0.55 "1" with a flag are above the floor: identical images.
        for drawing in [ellipse(width: 120, height: 180),
                        Drawing(strokes: [Stroke(points: [StrokePoint(x: 80, y: 60), StrokePoint(x: 190, y: 0),
                                                          StrokePoint(x: 190, y: 200)])])] {
            XCTAssertEqual(try DrawingNormalizer().normalize(drawing), try DrawingNormalizer(aspectFloor: 0).normalize(drawing))
        }
    }

    func testStraightOneStaysALineAndNarrowShapesWidenGently() throws {
        let line = Drawing(strokes: [Stroke(points: [StrokePoint(x: 100, y: 20), StrokePoint(x: 100, y: 400)])])
        XCTAssertEqual(try DrawingNormalizer().normalize(line), try DrawingNormalizer(aspectFloor: 0).normalize(line))
        // A 70x380 zero (ratio 0.18) is widened to sqrt(0.18 * 0.5) = 0.30 of its height, not to the floor.
        let narrow = try DrawingNormalizer().normalize(ellipse(width: 70, height: 380))
        let kept = try DrawingNormalizer(aspectFloor: 0).normalize(ellipse(width: 70, height: 380))
        XCTAssertGreaterThan(inkWidth(narrow), inkWidth(kept))
        XCTAssertLessThanOrEqual(inkWidth(narrow), 9)
    }

    func testFlatDrawingsWidenVerticallyAndRotationStillWorks() throws {
        let flat = try DrawingNormalizer().normalize(ellipse(width: 380, height: 70))
        let tall = try DrawingNormalizer().normalize(ellipse(width: 70, height: 380))
        // The same shape turned by 90 degrees: the transposed image, up to sub-pixel centering.
        var difference: Float = 0
        for y in 0..<28 { for x in 0..<28 { difference = max(difference, abs(flat[x, y] - tall[y, x])) } }
        XCTAssertLessThan(difference, 0.2)
        // Test-time augmentation's rotated copies go through the same floor.
        let rotated = try DrawingNormalizer().normalize(ellipse(width: 70, height: 380), rotation: 0.1, shiftX: 0, shiftY: 0)
        XCTAssertEqual(rotated.pixels.count, 784)
    }

    func testAspectFloorIsClamped() {
        XCTAssertEqual(DrawingNormalizer(aspectFloor: -1).aspectFloor, 0)
        XCTAssertEqual(DrawingNormalizer(aspectFloor: 7).aspectFloor, 1)
        XCTAssertEqual(DrawingNormalizer(aspectFloor: .nan).aspectFloor, DrawingNormalizer.defaultAspectFloor)
    }
}
