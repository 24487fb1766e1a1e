import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

/// The one reader for every picture: content decides the path, close-ups are read, the model
/// picks among readings at several scales, and real photos stay above a floor.
final class PictureReaderTests: XCTestCase {
    /// Synthetic photos saved as PNG go through the photo reader (they used to take the scan
    /// path because of their format and were read 12% of the time).
    func testPhotosSavedAsPNGAreReadAsPhotos() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let mnist = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test)
        var synthesizer = PhotoSynthesizer(seed: 77)
        var right = 0, photos = 0
        for i in 0..<30 {
            let glyphs = (0..<(1 + i % 3)).map { k in
                DigitGlyph(mnist: mnist.grayImage(at: 3 * i + k), label: Int(mnist.labels[3 * i + k]))
            }
            let made = try synthesizer.make(glyphs, condition: PhotoCondition.allCases[i % PhotoCondition.allCases.count])
            let png = try PNGCodec.encodeRGBA(width: made.image.width, height: made.image.height, rgba: made.image.rgba)
            let decoded = try PNGCodec.decode(data: png, source: "photo.png")
            let reading = try recognizer.read(picture: decoded)
            if reading.kind == .photo { photos += 1 }
            if reading.text == made.label { right += 1 }
        }
        XCTAssertGreaterThanOrEqual(photos, 29, "photos saved as PNG must be read as photos")
        XCTAssertGreaterThanOrEqual(right, 27, "\(right)/30 synthetic photos saved as PNG read right")
    }

    /// MNIST digits as bitmaps (flat black background) are read as scans, and right.
    func testCleanBitmapsAreReadAsScans() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let mnist = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test).prefix(40)
        var right = 0
        for i in 0..<40 {
            let image = mnist.grayImage(at: i)
            let bytes = image.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
            let picture = try DecodedImage(gray: bytes, width: 28, height: 28)
            let reading = try recognizer.read(picture: picture)
            XCTAssertEqual(reading.kind, .scan, "MNIST bitmap \(i): \(reading.reason)")
            if reading.text == String(mnist.labels[i]) { right += 1 }
        }
        XCTAssertGreaterThanOrEqual(right, 39)
    }

    /// A close-up: one digit filling most of the frame and touching its top and bottom borders,
    /// as phone photos of a single digit are. The photo reader alone used to call these blank.
    func testACloseUpFillingTheFrameIsRead() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let mnist = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test)
        var random = SplitMix64(seed: 5)
        var right = 0
        let count = 20
        for i in 0..<count {
            let digit = mnist.grayImage(at: 100 + i)
            // The digit's ink box scaled to 300 px tall on a 320×320 grey, noisy, unevenly lit paper,
            // then cropped so that the ink touches the top and bottom borders.
            var minY = 28, maxY = 0
            for y in 0..<28 { for x in 0..<28 where digit.pixels[y * 28 + x] > 0.3 { minY = min(minY, y); maxY = max(maxY, y) } }
            let side = 320
            let scale = Float(side) / Float(maxY - minY + 1)
            var rgba = [UInt8](repeating: 255, count: side * side * 4)
            for y in 0..<side {
                for x in 0..<side {
                    let sx = Float(x - side / 2) / scale + 14, sy = Float(y) / scale + Float(minY)
                    let ink = Self.bilinear(digit, sx, sy)
                    let light: Float = 0.75 + 0.15 * Float(x) / Float(side)
                    let noise = Float(Int(random.next() % 9) - 4) / 255
                    let v = max(0, min(1, light * (1 - 0.8 * ink) + noise))
                    for c in 0..<3 { rgba[4 * (y * side + x) + c] = UInt8(v * 255) }
                }
            }
            let picture = try DecodedImage(width: side, height: side, rgba: rgba)
            let reading = try recognizer.read(picture: picture)
            XCTAssertFalse(reading.isEmpty, "close-up of a \(mnist.labels[100 + i]) called blank")
            if reading.text == String(mnist.labels[100 + i]) { right += 1 }
        }
        XCTAssertGreaterThanOrEqual(right, count - 2, "\(right)/\(count) close-ups read right")
    }

    /// The development set of real photos (68 photos by 7 people) stays above a floor. It is
    /// read from ../shared and skipped with a message when that is absent.
    func testRealPhotosDevelopmentSetStaysAboveItsFloor() throws {
        let path = TestData.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/realphotos-dev").path
        guard FileManager.default.fileExists(atPath: path + "/MANIFEST.tsv") else {
            throw XCTSkip("real photos not found at \(path): the development set lives beside the checkout")
        }
        let recognizer = try Recognizer(locator: ModelLocator(explicitPath: TestData.repoRoot.appendingPathComponent("Models/\(ModelLocator.shippedFileName)").path))
        let result = LabelledPictureEvaluation.run(recognizer: recognizer, set: try LabelledPictureSet.load(path: path))
        print(result.table)
        XCTAssertEqual(result.outcomes.count, 68)
        XCTAssertGreaterThanOrEqual(result.singles.accuracy, 0.93, result.misses.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(result.numbers.accuracy, 0.55, result.misses.joined(separator: "\n"))
        XCTAssertLessThanOrEqual(result.blankRate, 0.02, result.misses.joined(separator: "\n"))
    }

    static func bilinear(_ image: GrayImage, _ x: Float, _ y: Float) -> Float {
        guard x >= 0, y >= 0, x < Float(image.width - 1), y < Float(image.height - 1) else { return 0 }
        let x0 = Int(x), y0 = Int(y), fx = x - Float(x0), fy = y - Float(y0)
        func p(_ xx: Int, _ yy: Int) -> Float { image.pixels[yy * image.width + xx] }
        return (p(x0, y0) * (1 - fx) + p(x0 + 1, y0) * fx) * (1 - fy) + (p(x0, y0 + 1) * (1 - fx) + p(x0 + 1, y0 + 1) * fx) * fy
    }
}
