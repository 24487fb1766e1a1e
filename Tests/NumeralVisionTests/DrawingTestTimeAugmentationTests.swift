import Foundation
import XCTest
@testable import NumeralVision

final class DrawingTestTimeAugmentationTests: XCTestCase {
    let normalizer = DrawingNormalizer()
    let seven = Drawing(strokes: [Stroke(points: [StrokePoint(x: 100, y: 100), StrokePoint(x: 300, y: 100),
                                                  StrokePoint(x: 180, y: 500)])])
    let line = Drawing(strokes: [Stroke(points: [StrokePoint(x: 100, y: 0), StrokePoint(x: 100, y: 400)])])

    func testFirstVariantIsThePlainImageAndCountsMatch() throws {
        let augmentation = TestTimeAugmentation()
        let images = try augmentation.variants(of: seven, normalizer: normalizer)
        XCTAssertEqual(images.count, 7)
        XCTAssertEqual(images.first, try normalizer.normalize(seven))
        XCTAssertEqual(Set(images.map(\.pixels)).count, 7, "every variant differs")
        XCTAssertTrue(images.allSatisfy { $0.width == 28 && $0.height == 28 })
    }

    func testPlainIsAlwaysFirst() {
        let augmentation = TestTimeAugmentation(variants: [.rotation(degrees: 5), .plain, .shift(x: 2, y: 0)])
        XCTAssertEqual(augmentation.variantKinds, [.plain, .rotation(degrees: 5), .shift(x: 2, y: 0)])
        XCTAssertEqual(TestTimeAugmentation(variants: []).variantKinds, [.plain])
    }

    func testShiftMovesTheImageByWholePixels() throws {
        let plain = try normalizer.normalize(seven)
        let augmentation = TestTimeAugmentation(variants: [.shift(x: 1, y: 0), .shift(x: 0, y: -1)])
        let images = try augmentation.variants(of: seven, normalizer: normalizer)
        let (right, up) = (images[1], images[2])
        for y in 1..<27 {
            for x in 1..<27 {
                XCTAssertEqual(right[x + 1, y], plain[x, y], accuracy: 1e-4)
                XCTAssertEqual(up[x, y - 1], plain[x, y], accuracy: 1e-4)
            }
        }
    }

    func testPositiveRotationIsClockwiseOnScreen() throws {
        let augmentation = TestTimeAugmentation(variants: [.rotation(degrees: 8)])
        // Without the aspect floor, which would widen the thin rotated line (and its slant) further.
        let rotated = try augmentation.variants(of: line, normalizer: DrawingNormalizer(aspectFloor: 0))[1]
        // The top of a clockwise-rotated vertical line leans right: compare ink columns.
        func meanX(rows: Range<Int>) -> Double {
            var sum = 0.0, total = 0.0
            for y in rows { for x in 0..<28 { sum += Double(rotated[x, y]) * Double(x); total += Double(rotated[x, y]) } }
            return sum / total
        }
        let lean = meanX(rows: 4..<10) - meanX(rows: 18..<24)
        // Over ~14 rows an 8 degree slant moves the line by about 14 * tan(8°) ≈ 2 pixels.
        XCTAssertEqual(lean, 14 * tan(8 * Double.pi / 180), accuracy: 0.6)
    }

    func testBadDrawingsThrow() {
        let augmentation = TestTimeAugmentation()
        XCTAssertThrowsError(try augmentation.variants(of: Drawing(strokes: []), normalizer: normalizer)) {
            XCTAssertEqual($0 as? VisionError, .nothingDrawn)
        }
    }
}
