import Foundation
import XCTest
@testable import NumeralVision

/// Writes contact sheets of normalized pen digits for eyeballing against MNIST.
/// Run with NUMERAL_DUMP_DIR=/some/dir; convert a PGM with `convert sheet.pgm sheet.png`.
final class DrawingNormalizerDumpTests: XCTestCase {
    func dumpDirectory() throws -> URL {
        guard let directory = ProcessInfo.processInfo.environment["NUMERAL_DUMP_DIR"] else {
            throw XCTSkip("set NUMERAL_DUMP_DIR to write contact sheets of normalized pen digits")
        }
        return URL(fileURLWithPath: directory)
    }

    /// Lays images out row by row in a binary PGM.
    func writeSheet(_ rows: [[GrayImage]], to url: URL) throws {
        let cell = rows.first?.first?.width ?? 28
        let columns = rows.map(\.count).max() ?? 0
        let width = columns * cell, height = rows.count * cell
        var sheet = [UInt8](repeating: 0, count: width * height)
        for (row, images) in rows.enumerated() {
            for (column, image) in images.enumerated() {
                for y in 0..<cell {
                    for x in 0..<cell {
                        sheet[(row * cell + y) * width + column * cell + x] = UInt8((image[x, y] * 255).rounded())
                    }
                }
            }
        }
        var pgm = Data("P5\n\(width) \(height)\n255\n".utf8)
        pgm.append(contentsOf: sheet)
        try pgm.write(to: url)
    }

    func testWriteNormalizedPenDigits() throws {
        let directory = try dumpDirectory()
        let samples = try PenDigitsFixture.samples()
        let normalizer = DrawingNormalizer()
        // One row per digit, so systematic problems with a class stand out.
        let rows = try (0...9).map { label in
            try samples.filter { $0.label == label }.prefix(20).map { try normalizer.normalize($0.drawing) }
        }
        try writeSheet(rows, to: directory.appendingPathComponent("pendigits-normalized.pgm"))
    }

    func testWriteTestTimeAugmentationVariants() throws {
        let directory = try dumpDirectory()
        let samples = try PenDigitsFixture.samples().prefix(8)
        let augmentation = TestTimeAugmentation()
        let rows = try samples.map { try augmentation.variants(of: $0.drawing, normalizer: DrawingNormalizer()) }
        try writeSheet(rows, to: directory.appendingPathComponent("pendigits-augmented.pgm"))
    }
}

extension DrawingNormalizerDumpTests {
    /// Pen digits at 4x resolution, raw above and spline-smoothed below, to judge the smoothing.
    func testWriteSmoothedPenDigitsLarge() throws {
        let directory = try dumpDirectory()
        let samples = try PenDigitsFixture.samples().prefix(10).map(\.drawing)
        let large = DrawingNormalizer(penWidth: 8, targetBox: 80, size: 112, edgeSoftness: 3)
        try writeSheet([try samples.map { try large.normalize($0) },
                        try samples.map { try large.normalize($0.smoothed(maximumSegmentLength: 4)) }],
                       to: directory.appendingPathComponent("pendigits-smoothed.pgm"))
    }
}
