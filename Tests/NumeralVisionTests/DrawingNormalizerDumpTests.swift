import Foundation
import XCTest
@testable import NumeralVision

/// Writes a contact sheet of normalized pen digits for eyeballing against MNIST.
/// Run with NUMERAL_DUMP_DIR=/some/dir; convert the PGM with `convert sheet.pgm sheet.png`.
final class DrawingNormalizerDumpTests: XCTestCase {
    func testWriteContactSheet() throws {
        guard let directory = ProcessInfo.processInfo.environment["NUMERAL_DUMP_DIR"] else {
            throw XCTSkip("set NUMERAL_DUMP_DIR to write a contact sheet of normalized pen digits")
        }
        let samples = try PenDigitsFixture.samples()
        let columns = 20, rows = 10, cell = 28
        var sheet = [UInt8](repeating: 0, count: columns * cell * rows * cell)
        let normalizer = DrawingNormalizer()
        for row in 0..<rows {
            // One row per digit, so systematic problems with a class stand out.
            for (column, sample) in samples.filter({ $0.label == row }).prefix(columns).enumerated() {
                let image = try normalizer.normalize(sample.drawing)
                for y in 0..<cell {
                    for x in 0..<cell {
                        let value = UInt8((image[x, y] * 255).rounded())
                        sheet[(row * cell + y) * columns * cell + column * cell + x] = value
                    }
                }
            }
        }
        var pgm = Data("P5\n\(columns * cell) \(rows * cell)\n255\n".utf8)
        pgm.append(contentsOf: sheet)
        try pgm.write(to: URL(fileURLWithPath: directory).appendingPathComponent("pendigits-normalized.pgm"))
    }
}
