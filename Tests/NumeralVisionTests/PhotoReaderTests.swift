import Foundation
import XCTest
@testable import NumeralVision

final class PhotoReaderTests: XCTestCase {
    private func uniform(_ value: UInt8, width: Int = 640, height: Int = 480) throws -> DecodedImage {
        var rgba = [UInt8](repeating: value, count: width * height * 4)
        for i in 0..<(width * height) { rgba[4 * i + 3] = 255 }
        return try DecodedImage(width: width, height: height, rgba: rgba)
    }

    /// A "1" and a "7" drawn with a round pen (canvas coordinates, y down).
    private let one = Drawing(strokes: [Stroke(points: [StrokePoint(x: 100, y: 30), StrokePoint(x: 104, y: 230)])])
    private let seven = Drawing(strokes: [Stroke(points: [StrokePoint(x: 30, y: 40), StrokePoint(x: 170, y: 40),
                                                          StrokePoint(x: 100, y: 230)])])

    func testUniformPicturesHoldNoDigit() throws {
        let reader = PhotoReader()
        for value: UInt8 in [0, 128, 200, 255] {
            XCTAssertEqual(reader.read(try uniform(value)).count, 0, "uniform \(value)")
        }
        XCTAssertEqual(reader.read(try uniform(128, width: 3, height: 2)).count, 0, "tiny picture")
    }

    /// Issue 12: a picture of one uniform gray was read as "0" at 93.7 % by the picture path.
    func testUniformGrayIsNoInkOnThePicturePathToo() throws {
        for side in [28, 300] {
            XCTAssertThrowsError(try PictureNormalizer().modelInputs(from: try uniform(128, width: side, height: side))) { error in
                XCTAssertEqual(error as? PictureError, .noInk(width: side, height: side))
            }
        }
    }

    func testNoiseAloneHoldsNoDigit() throws {
        var random = SplitMix64(seed: 5)
        var rgba = [UInt8](repeating: 255, count: 640 * 480 * 4)
        for i in 0..<(640 * 480) {
            let u = Double(random.next() >> 11) * 0x1p-53, v = Double(random.next() >> 11) * 0x1p-53
            let n = (-2 * log(max(u, 1e-12))).squareRoot() * cos(2 * .pi * v)
            let value = UInt8(min(255, max(0, 150 + 8 * n)))
            rgba[4 * i] = value; rgba[4 * i + 1] = value; rgba[4 * i + 2] = value
        }
        XCTAssertEqual(PhotoReader().read(try DecodedImage(width: 640, height: 480, rgba: rgba)).count, 0)
    }

    func testRunLengthsAlongBothAxesMatchCountingEachRun() {
        let lines = PaperLines(maxSlope: 0.14, slopeStep: 0.01, maxThickness: 5, minLengthShare: 0.25, band: 2, slack: 1)
        var generator = SystemRandomNumberGenerator()
        for (width, height) in [(1, 1), (7, 5), (33, 20), (5, 40)] {
            let mask = (0..<(width * height)).map { _ in UInt8(Int.random(in: 0..<3, using: &generator) == 0 ? 0 : 1) }
            for alongX in [true, false] {
                let runs = lines.runLengths(mask, width: width, height: height, alongX: alongX)
                for y in 0..<height {
                    for x in 0..<width {
                        let i = y * width + x
                        guard mask[i] != 0 else { XCTAssertEqual(runs[i], 0); continue }
                        // Walk both ways from the pixel to its run's ends.
                        var length = 1
                        if alongX {
                            var a = x - 1; while a >= 0 && mask[y * width + a] != 0 { length += 1; a -= 1 }
                            a = x + 1; while a < width && mask[y * width + a] != 0 { length += 1; a += 1 }
                        } else {
                            var b = y - 1; while b >= 0 && mask[b * width + x] != 0 { length += 1; b -= 1 }
                            b = y + 1; while b < height && mask[b * width + x] != 0 { length += 1; b += 1 }
                        }
                        XCTAssertEqual(Int(runs[i]), length, "\(width)x\(height) alongX \(alongX) at \(x),\(y)")
                    }
                }
            }
        }
    }

    func testPaperLinesShadowsAndDeskAloneHoldNoDigit() throws {
        var synthesizer = PhotoSynthesizer(seed: 11)
        let nothing = DigitGlyph(ink: GrayImage(width: 20, height: 30), label: 0)
        for condition in PhotoCondition.allCases {
            for _ in 0..<2 {
                let photo = try synthesizer.make([nothing], condition: condition)
                let found = PhotoReader().read(photo.image)
                XCTAssertEqual(found.count, 0, "\(condition): found \(found.map { $0.box })")
            }
        }
    }

    func testDigitsAreFoundWhereTheyAreUnderEveryCondition() throws {
        var synthesizer = PhotoSynthesizer(seed: 3)
        for condition in PhotoCondition.allCases {
            for _ in 0..<2 {
                let glyphs = [DigitGlyph(drawing: one, label: 1, height: 80, penRadius: 2.5),
                              DigitGlyph(drawing: seven, label: 7, height: 80, penRadius: 2.5)]
                let photo = try synthesizer.make(glyphs, condition: condition)
                let found = PhotoReader().read(photo.image)
                guard found.count == 1, found[0].digits.count == 2 else {
                    let kept = FileManager.default.temporaryDirectory.appendingPathComponent("photo-reader-\(condition.rawValue).jpg")
                    try? Data(photo.jpeg).write(to: kept)
                    XCTFail("\(condition): expected one number of two digits, got \(found.map { $0.digits.map(\.box) }) (photo: \(kept.path))")
                    continue
                }
                for (digit, truth) in zip(found[0].digits, photo.boxes) {
                    XCTAssertGreaterThan(digit.box.overlap(truth), 0.5, "\(condition): \(digit.box) vs \(truth)")
                    XCTAssertEqual(digit.input.width, 28)
                }
                XCTAssertLessThan(found[0].digits[0].box.x, found[0].digits[1].box.x, "left to right")
            }
        }
    }

    func testSyntheticPhotosAreDeterministic() throws {
        let glyph = DigitGlyph(drawing: seven, label: 7, height: 60, penRadius: 2)
        var a = PhotoSynthesizer(seed: 42), b = PhotoSynthesizer(seed: 42), c = PhotoSynthesizer(seed: 43)
        let first = try a.make([glyph], condition: .everything)
        XCTAssertEqual(first.jpeg, try b.make([glyph], condition: .everything).jpeg)
        XCTAssertNotEqual(first.jpeg, try c.make([glyph], condition: .everything).jpeg)
        XCTAssertEqual(first.image.width, 640)
        XCTAssertEqual(first.label, "7")
    }

    func testBoxesScaleBackToLargePictures() throws {
        // A 1600x1200 photo is read at 800x600; boxes come back in the photo's own pixels.
        var synthesizer = PhotoSynthesizer(seed: 9)
        synthesizer.width = 1600
        synthesizer.height = 1200
        let photo = try synthesizer.make([DigitGlyph(drawing: seven, label: 7, height: 200, penRadius: 5)], condition: .clean)
        let found = PhotoReader().read(photo.image)
        XCTAssertEqual(found.count, 1)
        XCTAssertGreaterThan(found.first?.box.overlap(photo.boxes[0]) ?? 0, 0.5, "\(found.first?.box as Any) vs \(photo.boxes[0])")
    }
}
