import Foundation
import XCTest
@testable import NumeralVision

/// Compares normalized pen digits with MNIST's ink statistics. MNIST reference numbers, over the
/// 60,000 training images (numpy on train-images-idx3-ubyte.gz, intensities / 255):
/// mean intensity 0.1307, fraction of pixels > 0: 0.1912, fraction > 0.5: 0.1323,
/// longer side of the nonzero box: 20 px on average.
final class DrawingNormalizerStatisticsTests: XCTestCase {
    struct InkStatistics {
        var mean = 0.0, nonzero = 0.0, aboveHalf = 0.0, longerSide = 0.0
    }

    static func statistics(_ normalizer: DrawingNormalizer, _ drawings: [Drawing]) throws -> InkStatistics {
        var result = InkStatistics()
        for drawing in drawings {
            let image = try normalizer.normalize(drawing)
            var minX = image.width, maxX = -1, minY = image.height, maxY = -1
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let value = image[x, y]
                    result.mean += Double(value)
                    if value > 0 {
                        result.nonzero += 1
                        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                    }
                    if value > 0.5 { result.aboveHalf += 1 }
                }
            }
            result.longerSide += Double(max(maxX - minX + 1, maxY - minY + 1))
        }
        let pixels = Double(drawings.count * normalizer.size * normalizer.size)
        result.mean /= pixels; result.nonzero /= pixels; result.aboveHalf /= pixels
        result.longerSide /= Double(drawings.count)
        return result
    }

    func testDefaultPenMatchesMNISTInkStatistics() throws {
        let drawings = try PenDigitsFixture.samples().prefix(1500).map(\.drawing)
        let stats = try Self.statistics(DrawingNormalizer(), drawings)
        print(String(format: "pen digits, default pen: mean %.4f nonzero %.4f >0.5 %.4f longer side %.2f",
                     stats.mean, stats.nonzero, stats.aboveHalf, stats.longerSide))
        XCTAssertEqual(stats.mean, 0.1307, accuracy: 0.015)
        XCTAssertEqual(stats.nonzero, 0.1912, accuracy: 0.02)
        XCTAssertEqual(stats.aboveHalf, 0.1323, accuracy: 0.015)
        XCTAssertEqual(stats.longerSide, 20, accuracy: 0.6)
    }

    /// Prints statistics for a grid of pen settings; run with NUMERAL_TUNE_PEN=1 when retuning.
    func testPenWidthSweep() throws {
        guard ProcessInfo.processInfo.environment["NUMERAL_TUNE_PEN"] != nil else {
            throw XCTSkip("set NUMERAL_TUNE_PEN=1 to print the pen width sweep")
        }
        let drawings = try PenDigitsFixture.samples().prefix(2000).map(\.drawing)
        for softness in [0.8, 1.0, 1.2, 1.5] {
            for width in stride(from: 2.0, through: 3.4, by: 0.2) {
                let s = try Self.statistics(DrawingNormalizer(penWidth: width, edgeSoftness: softness), drawings)
                print(String(format: "soft %.1f pen %.1f  mean %.4f  nonzero %.4f  >0.5 %.4f  side %.2f",
                             softness, width, s.mean, s.nonzero, s.aboveHalf, s.longerSide))
            }
        }
    }
}
