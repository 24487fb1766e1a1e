import Foundation
import XCTest
@testable import NumeralVision

final class PictureNormalizerTests: XCTestCase {
    private let normalizer = PictureNormalizer()
    private typealias Variant = (name: String, make: (GrayImage, Int) throws -> DecodedImage)

    private let blackOnWhite = PictureFactory.Style()
    private let whiteOnBlack = PictureFactory.Style(paper: (0, 0, 0), ink: (1, 1, 1))

    private var variants: [Variant] {
        [
            ("bitmap16", { img, _ in try PictureFactory.throughPNG(PictureFactory.bitmap16(img), style: self.blackOnWhite) }),
            ("usps16-gray-white-on-black", { img, _ in try PictureFactory.throughPNG(PictureFactory.bitmap16(img, binary: false), style: self.whiteOnBlack) }),
            ("56-white-on-black", { img, _ in try PictureFactory.throughPNG(PictureFactory.resized(img, width: 56, height: 56), style: self.whiteOnBlack) }),
            ("112-padded", { img, _ in
                try PictureFactory.throughPNG(PictureFactory.padded(PictureFactory.resized(img, width: 112, height: 112), left: 50, top: 7, right: 3, bottom: 40), style: self.blackOnWhite) }),
            ("112-thresholded", { img, _ in
                try PictureFactory.throughPNG(PictureFactory.thresholded(PictureFactory.resized(img, width: 112, height: 112)), style: self.blackOnWhite) }),
            ("300-blurred-grey-pen-on-textured-paper", { img, i in
                let big = PictureFactory.blurred(PictureFactory.resized(img, width: 260, height: 260), radius: 4)
                let style = PictureFactory.Style(paper: (0.93, 0.9, 0.82), ink: (0.2, 0.2, 0.35), noise: 0.06)
                return try PictureFactory.throughPNG(PictureFactory.padded(big, left: 20, top: 20, right: 20, bottom: 20), style: style, seed: UInt64(i + 1)) }),
            ("100-rgba-transparent", { img, _ in
                try PictureFactory.throughPNG(PictureFactory.resized(img, width: 100, height: 100), style: PictureFactory.Style(transparentPaper: true)) }),
            ("100-white-on-transparent", { img, _ in
                try PictureFactory.throughPNG(PictureFactory.resized(img, width: 100, height: 100), style: PictureFactory.Style(ink: (1, 1, 1), transparentPaper: true)) }),
            ("70-blue-on-yellow", { img, _ in
                try PictureFactory.throughPNG(PictureFactory.resized(img, width: 70, height: 70), style: PictureFactory.Style(paper: (1, 0.95, 0.6), ink: (0.1, 0.1, 0.7))) }),
        ]
    }

    /// Correlation of each variant's normalized picture with the normalized original digit.
    private func correlations(_ variant: Variant, digits: [GrayImage]) throws -> [Float] {
        try digits.enumerated().map { i, digit in
            let expected = try normalizer.normalize(digit)
            let picture = try variant.make(digit, i)
            let got = try normalizer.normalize(normalizer.inkImage(from: picture))
            XCTAssertEqual(got.width, 28)
            XCTAssertTrue(ImageMetrics.isValid(got), variant.name)
            return ImageMetrics.correlation(expected, got)
        }
    }

    private func digits(_ n: Int) throws -> [GrayImage] {
        let test = try MNISTFixture.requireTestSplit()
        return (0..<n).map { test.grayImage(at: ($0 * 97) % test.count) }
    }

    func testPicturesInManyFormsNormalizeLikeTheOriginal() throws {
        let sample = try digits(40)
        for variant in variants {
            var c = try correlations(variant, digits: sample)
            c.sort()
            let median = c[c.count / 2], low = c[c.count / 20]
            print("\(variant.name): min \(c[0]) p5 \(low) median \(median)")
            // A 16x16 binary bitmap has lost most of the detail, so it is held to a lower bar.
            let bar: Float = variant.name.hasPrefix("bitmap16") || variant.name.hasPrefix("usps16") ? 0.85 : 0.93
            XCTAssertGreaterThan(low, bar, "\(variant.name): 5th percentile correlation \(low)")
            XCTAssertGreaterThan(median, bar + 0.04, "\(variant.name): median correlation \(median)")
        }
    }

    func testModelInputsReadsEveryDigitOfAPicture() throws {
        let test = try MNISTFixture.requireTestSplit()
        var row = GrayImage(width: 3 * 40, height: 40)
        for k in 0..<3 {
            let digit = test.grayImage(at: 10 + k)
            for y in 0..<28 { for x in 0..<28 { row[k * 40 + 4 + x, 6 + y] = digit[x, y] } }
        }
        let picture = try PictureFactory.throughPNG(PictureFactory.resized(row, width: 360, height: 120), style: blackOnWhite)
        let inputs = try normalizer.modelInputs(from: picture)
        XCTAssertEqual(inputs.count, 3)
        for (k, input) in inputs.enumerated() {
            XCTAssertGreaterThan(ImageMetrics.correlation(input, try normalizer.normalize(test.grayImage(at: 10 + k))), 0.9)
        }
        let blank = try PictureFactory.throughPNG(GrayImage(width: 30, height: 30), style: blackOnWhite)
        XCTAssertThrowsError(try normalizer.modelInputs(from: blank)) { XCTAssertEqual($0 as? PictureError, .noInk(width: 30, height: 30)) }
    }

    func testFileFlavoursFromImageMagick() throws {
        let dir = try makeScratchDirectory(self)
        let sample = try digits(4)
        let flavours: [[String]] = [["-define", "png:bit-depth=16"], ["-interlace", "PNG"], ["-colors", "8"],
                                    ["-define", "png:bit-depth=2", "-define", "png:color-type=0"]]
        for (i, digit) in sample.enumerated() {
            let source = dir.appendingPathComponent("digit\(i).png").path
            try PNGCodec.writeGray(path: source, image: PictureFactory.resized(digit, width: 84, height: 84), invert: true)
            let expected = try normalizer.normalize(digit)
            for (k, flavour) in flavours.enumerated() {
                let target = dir.appendingPathComponent("digit\(i)-\(k).png").path
                try ImageMagickTool.convert([source] + flavour + [target])
                let got = try normalizer.normalize(normalizer.inkImage(from: PNGCodec.decode(path: target)))
                let r = ImageMetrics.correlation(expected, got)
                XCTAssertGreaterThan(r, 0.85, "digit \(i) flavour \(flavour): correlation \(r)")
            }
        }
    }

    func testPolarityDoesNotMatter() throws {
        for digit in try digits(10) {
            let big = PictureFactory.resized(digit, width: 90, height: 90)
            let dark = try normalizer.normalize(normalizer.inkImage(from: PictureFactory.throughPNG(big, style: blackOnWhite)))
            let light = try normalizer.normalize(normalizer.inkImage(from: PictureFactory.throughPNG(big, style: whiteOnBlack)))
            XCTAssertGreaterThan(ImageMetrics.correlation(dark, light), 0.99)
        }
    }

    func testBoldDigitsFillingASmallBitmapKeepTheirPolarity() throws {
        var bold = 0, wrong = 0
        for digit in try digits(30) {
            let bitmap = PictureFactory.dilated(PictureFactory.bitmap16(digit), times: 1)
            let share = ImageMetrics.mass(bitmap) / Float(bitmap.pixels.count)
            if share > 0.45 { bold += 1 }
            let expected = try normalizer.normalize(bitmap)
            for style in [blackOnWhite, whiteOnBlack] {
                let got = try normalizer.normalize(normalizer.inkImage(from: PictureFactory.throughPNG(bitmap, style: style)))
                if ImageMetrics.correlation(expected, got) < 0.95 { wrong += 1 }
            }
        }
        XCTAssertGreaterThan(bold, 3, "the sample should include digits covering about half the bitmap")
        // Ink covering half the picture is genuinely ambiguous; a few misses are tolerated.
        XCTAssertLessThanOrEqual(wrong, 2, "polarity wrong in \(wrong) of 60 bold bitmaps")
    }

    func testThinPenStrokesAreThickenedToMNISTWeight() throws {
        let shapes: [[[(Float, Float)]]] = [
            [[(60, 50), (240, 50), (120, 265)]],  // 7
            [[(200, 265), (200, 35), (50, 190), (255, 190)]],  // 4
            [(0...24).map { k in let a = Float(k) / 24 * 2 * .pi; return (150 + 80 * cos(a), 150 + 115 * sin(a)) }],  // 0
            [[(150, 30), (150, 270)]],  // 1
        ]
        for (k, shape) in shapes.enumerated() {
            let thin = PictureFactory.penDrawing(shape, radius: 1.5)
            let mnistLike = PictureFactory.penDrawing(shape, radius: 12)
            let thinOut = try normalizer.normalize(normalizer.inkImage(from: PictureFactory.throughPNG(thin, style: blackOnWhite)))
            let thickOut = try normalizer.normalize(normalizer.inkImage(from: PictureFactory.throughPNG(mnistLike, style: blackOnWhite)))
            let ratio = ImageMetrics.mass(thinOut) / ImageMetrics.mass(thickOut)
            XCTAssertTrue((0.6...1.5).contains(ratio), "shape \(k): thin pen ink \(ratio) of the MNIST-like pen")
            XCTAssertGreaterThan(ImageMetrics.correlation(thinOut, thickOut), 0.85, "shape \(k)")
            XCTAssertGreaterThan(thinOut.pixels.max() ?? 0, 0.9, "shape \(k): strokes reach full intensity")
        }
        // With thickening disabled the thin pen would be a faint hairline: the feature matters.
        var plain = normalizer
        plain.minimumStrokeWidth = 0
        let hairline = try plain.normalize(PictureFactory.penDrawing(shapes[0], radius: 1.5))
        let proper = try normalizer.normalize(PictureFactory.penDrawing(shapes[0], radius: 12))
        XCTAssertLessThan(ImageMetrics.mass(hairline) / ImageMetrics.mass(proper), 0.5)
    }

    func testOutputIsMNISTShaped() throws {
        for digit in try digits(20) {
            let picture = PictureFactory.padded(PictureFactory.resized(digit, width: 150, height: 150), left: 80, top: 0, right: 0, bottom: 60)
            let out = try normalizer.normalize(normalizer.inkImage(from: PictureFactory.throughPNG(picture, style: blackOnWhite)))
            let (cx, cy) = ImageMetrics.centerOfMass(out)
            XCTAssertEqual(cx, 14, accuracy: 0.05)
            XCTAssertEqual(cy, 14, accuracy: 0.05)
            // The longer side of the ink spans about 20 px.
            var minX = 28, maxX = 0, minY = 28, maxY = 0
            for y in 0..<28 { for x in 0..<28 where out[x, y] > 0.3 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            } }
            XCTAssertTrue((18...21).contains(max(maxX - minX + 1, maxY - minY + 1)))
            XCTAssertEqual(out.pixels.max() ?? 0, 1, accuracy: 0.1, "strokes reach full intensity")
        }
    }

    func testPaperTextureAndSpecksAreRemoved() throws {
        let digit = try digits(1)[0]
        var picture = PictureFactory.padded(PictureFactory.resized(digit, width: 120, height: 120), left: 40, top: 40, right: 40, bottom: 40)
        for (x, y) in [(3, 3), (190, 10), (10, 190), (185, 185), (100, 5)] {  // dust far from the digit
            picture[x, y] = 1; picture[x + 1, y] = 1; picture[x, y + 1] = 1
        }
        let style = PictureFactory.Style(paper: (0.9, 0.88, 0.8), noise: 0.08)
        let ink = normalizer.inkImage(from: try PictureFactory.throughPNG(picture, style: style))
        XCTAssertEqual(ink[20, 100], 0, "plain paper reads as no ink")
        let r = ImageMetrics.correlation(try normalizer.normalize(digit), try normalizer.normalize(ink))
        XCTAssertGreaterThan(r, 0.9)
    }

    func testBlankPicturesAreReported() throws {
        let blanks: [(String, GrayImage, PictureFactory.Style)] = [
            ("white", GrayImage(width: 50, height: 40), blackOnWhite),
            ("black", GrayImage(width: 50, height: 40), whiteOnBlack),
            ("textured paper", GrayImage(width: 80, height: 80), PictureFactory.Style(paper: (0.9, 0.85, 0.75), noise: 0.05)),
            ("one pixel", GrayImage(width: 1, height: 1), blackOnWhite),
        ]
        for (name, image, style) in blanks {
            let ink = normalizer.inkImage(from: try PictureFactory.throughPNG(image, style: style))
            XCTAssertThrowsError(try normalizer.normalize(ink), name) { error in
                XCTAssertEqual(error as? PictureError, .noInk(width: image.width, height: image.height), name)
            }
            XCTAssertEqual(normalizer.segment(ink).count, 0, name)
        }
        XCTAssertThrowsError(try normalizer.normalize(GrayImage(width: 0, height: 0)))
    }

    func testHostileValuesDoNotCrash() throws {
        var image = GrayImage(width: 10, height: 10)
        for i in 0..<100 { image.pixels[i] = [Float.nan, .infinity, -5, 3, 0.7][i % 5] }
        let out = try normalizer.normalize(image)
        XCTAssertTrue(ImageMetrics.isValid(out))
    }

    func testSegmentSplitsDigitsLeftToRight() throws {
        let test = try MNISTFixture.requireTestSplit()
        let indices = [0, 1, 2, 3]  // 7, 2, 1, 0
        // Side by side with uneven gaps and vertical offsets, as handwriting on a form line.
        var row = GrayImage(width: 4 * 28 + 30, height: 40)
        let offsets = [(0, 2), (35, 10), (68, 0), (105, 6)]
        for (k, index) in indices.enumerated() {
            let digit = test.grayImage(at: index)
            for y in 0..<28 { for x in 0..<28 { row[offsets[k].0 + x, offsets[k].1 + y] = max(row[offsets[k].0 + x, offsets[k].1 + y], digit[x, y]) } }
        }
        row[140, 39] = 1  // a speck
        let ink = normalizer.inkImage(from: try PictureFactory.throughPNG(row, style: blackOnWhite))
        let parts = normalizer.segment(ink)
        XCTAssertEqual(parts.count, 4)
        for (k, part) in parts.enumerated() where k < indices.count {
            let r = ImageMetrics.correlation(try normalizer.normalize(test.grayImage(at: indices[k])), try normalizer.normalize(part))
            XCTAssertGreaterThan(r, 0.9, "digit \(k)")
        }
    }

    func testSegmentKeepsABrokenDigitTogether() throws {
        // A '5' drawn with a detached top bar: two blobs overlapping in x are one digit.
        var five = GrayImage(width: 30, height: 40)
        for x in 10..<26 { five[x, 3] = 1; five[x, 4] = 1 }  // bar, detached
        for y in 8..<20 { five[10, y] = 1; five[11, y] = 1 }  // stem
        for x in 10..<22 { five[x, 20] = 1; five[x, 21] = 1 }
        for y in 20..<34 { five[22, y] = 1; five[23, y] = 1 }
        for x in 8..<23 { five[x, 34] = 1; five[x, 35] = 1 }
        XCTAssertEqual(normalizer.segment(five).count, 1)
        XCTAssertEqual(normalizer.segment(five).first?.height, 33)
    }

    func testHugePicturesAreWorkedOnAtBoundedSize() throws {
        let digit = try digits(1)[0]
        let big = PictureFactory.padded(PictureFactory.resized(digit, width: 1100, height: 1100), left: 700, top: 100, right: 300, bottom: 200)
        let decoded = try PictureFactory.throughPNG(big, style: blackOnWhite)
        XCTAssertEqual(decoded.width, 2100)
        let ink = normalizer.inkImage(from: decoded)
        XCTAssertLessThanOrEqual(max(ink.width, ink.height), normalizer.maxWorkingSide)
        let r = ImageMetrics.correlation(try normalizer.normalize(digit), try normalizer.normalize(ink))
        XCTAssertGreaterThan(r, 0.9)
    }

    func testNoiseDoesNotBlowUpSegmentation() {
        var rng = SplitMix64(seed: 5)
        let noise = GrayImage(width: 300, height: 300, pixels: (0..<90_000).map { _ in rng.next() % 7 == 0 ? 1 : 0 })
        let start = Date()
        let parts = normalizer.segment(noise)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        XCTAssertFalse(parts.isEmpty)
        XCTAssertTrue(parts.allSatisfy { $0.width > 0 && $0.height > 0 })
    }

}
