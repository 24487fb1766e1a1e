import NumeralVision
import XCTest

final class StretchedScanTests: XCTestCase {
    /// A narrow upright bar with a hole: a "0" 6 px wide and 18 px tall in a 28x28 image.
    private func narrowZero() -> GrayImage {
        var image = GrayImage(width: 28, height: 28)
        for y in 5..<23 {
            for x in 11..<17 where x < 13 || x > 14 || y < 7 || y > 20 { image.pixels[y * 28 + x] = 1 }
        }
        return image
    }

    func testBitmapStretchesTheInkBoxToFillTheSquare() throws {
        let bits = try XCTUnwrap(StretchedScan().bitmap(of: narrowZero()))
        XCTAssertEqual(bits.count, 256)
        // Every edge row and column holds ink: the 6x18 box now fills 16x16.
        XCTAssertTrue((0..<16).contains { bits[$0] })
        XCTAssertTrue((0..<16).contains { bits[15 * 16 + $0] })
        XCTAssertTrue((0..<16).contains { bits[$0 * 16] })
        XCTAssertTrue((0..<16).contains { bits[$0 * 16 + 15] })
        // The hole, stretched, is still paper in the middle.
        XCTAssertFalse(bits[8 * 16 + 8])
        XCTAssertNil(StretchedScan().bitmap(of: GrayImage(width: 28, height: 28)))
    }

    func testEnlargedPictureIsBinaryBlocksOrSoftEdges() throws {
        let scan = StretchedScan()
        let bits = try XCTUnwrap(scan.bitmap(of: narrowZero()))
        let blocky = scan.enlarged(bits, scale: 4, margin: 3)
        XCTAssertEqual(blocky.width, 16 * 4 + 6)
        XCTAssertTrue(blocky.pixels.allSatisfy { $0 == 0 || $0 == 1 })
        XCTAssertEqual(blocky[3, 3], bits[0] ? 1 : 0)
        let soft = scan.enlarged(bits, scale: 4, margin: 0, smooth: true)
        XCTAssertTrue(soft.pixels.contains { $0 > 0 && $0 < 1 })
        let picture = StretchedScan.picture(blocky)
        XCTAssertEqual(picture.rgba.count, blocky.width * blocky.height * 4)
        XCTAssertEqual(picture.rgba[0], 255, "paper is white")
        XCTAssertEqual(StretchedScan.picture(blocky, inverted: true).rgba[0], 0, "inverted paper is black")
    }

    func testThickenedGrowsEveryStrokeByOnePixel() {
        let scan = StretchedScan(side: 5)
        var bits = [Bool](repeating: false, count: 25)
        bits[12] = true // the centre
        let thick = scan.thickened(bits)
        XCTAssertEqual(thick.filter { $0 }.count, 5, "the centre and its four neighbours")
        XCTAssertTrue(thick[7] && thick[11] && thick[13] && thick[17])
        XCTAssertFalse(thick[6], "diagonals stay paper")
        var corner = [Bool](repeating: false, count: 25)
        corner[0] = true
        XCTAssertEqual(scan.thickened(corner).filter { $0 }.count, 3, "clipped at the edge")
        XCTAssertEqual(scan.thickened([true]), [true], "a bitmap of the wrong size is left alone")
    }

    func testAugmenterIsDeterministicAndFillsTheBox() {
        let src = narrowZero().pixels
        let augmenter = StretchedScanAugmenter(probability: 1)
        func run(seed: UInt64) -> [Float] {
            var rng = SplitMix64(seed: seed)
            var out = [Float](repeating: 0, count: 784)
            src.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { augmenter.degrade(s, into: $0, using: &rng) } }
            return out
        }
        XCTAssertEqual(run(seed: 3), run(seed: 3))
        let out = run(seed: 3)
        // Read back like a picture: the stretched box is about 20x20 (MNIST's box), not 6 wide.
        var minX = 28, maxX = -1
        for y in 0..<28 { for x in 0..<28 where out[y * 28 + x] > 0.3 { minX = min(minX, x); maxX = max(maxX, x) } }
        XCTAssertGreaterThanOrEqual(maxX - minX + 1, 17)
        var never = SplitMix64(seed: 1)
        XCTAssertFalse(StretchedScanAugmenter(probability: 0).applies(using: &never))
    }
}
