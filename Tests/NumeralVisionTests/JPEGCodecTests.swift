import CTurboJPEG
import Foundation
import XCTest
@testable import NumeralVision

final class JPEGCodecTests: XCTestCase {
    /// A 64x48 gray gradient with a dark square at the top-left corner, as JPEG.
    private func sample(width: Int = 64, height: Int = 48) throws -> (gray: [UInt8], jpeg: [UInt8]) {
        var gray = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { gray[y * width + x] = (x < 16 && y < 16) ? 0 : UInt8(128 + x) } }
        return (gray, try JPEGCodec.encodeGray(width: width, height: height, gray: gray, quality: 95))
    }

    func testRoundTripKeepsSizeAndPixelsWithinCompressionError() throws {
        let (gray, jpeg) = try sample()
        let image = try JPEGCodec.decode(data: jpeg)
        XCTAssertEqual(image.width, 64)
        XCTAssertEqual(image.height, 48)
        var worst = 0
        for i in 0..<gray.count { worst = max(worst, abs(Int(image.rgba[4 * i]) - Int(gray[i]))) }
        XCTAssertLessThan(worst, 12, "quality 95 stays close to the original")
        XCTAssertEqual(image.rgba[3], 255, "JPEG is opaque")
    }

    func testRGBAEncodingDecodesInColour() throws {
        var rgba = [UInt8](repeating: 255, count: 32 * 32 * 4)
        for i in 0..<(32 * 32) { rgba[4 * i] = 200; rgba[4 * i + 1] = 30; rgba[4 * i + 2] = 30 }
        let image = try JPEGCodec.decode(data: try JPEGCodec.encodeRGBA(width: 32, height: 32, rgba: rgba, quality: 90))
        XCTAssertGreaterThan(Int(image.rgba[4 * 500]), 150)
        XCTAssertLessThan(Int(image.rgba[4 * 500 + 1]), 80)
    }

    /// Inserts an APP1 Exif segment (big- or little-endian TIFF) with the given orientation after SOI.
    private func withOrientation(_ jpeg: [UInt8], _ value: UInt8, littleEndian: Bool) -> [UInt8] {
        let tiff: [UInt8] = littleEndian
            ? [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0, 0, 0, 0, 0]
            : [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0, 0, 0, 0, 0]
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return Array(jpeg[0..<2]) + [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg[2...])
    }

    func testExifOrientationIsHonoured() throws {
        let (_, jpeg) = try sample()
        for little in [true, false] {
            // 6: the camera was turned clockwise; shown upright, the picture is rotated 90° clockwise,
            // so the dark corner (top-left when stored) ends up top-right.
            let rotated = try JPEGCodec.decode(data: withOrientation(jpeg, 6, littleEndian: little))
            XCTAssertEqual(rotated.width, 48)
            XCTAssertEqual(rotated.height, 64)
            XCTAssertLessThan(rotated.rgba[4 * (2 * 48 + 45)], 60, "dark square at the top right")
            XCTAssertGreaterThan(rotated.rgba[4 * (2 * 48 + 2)], 100)
            // 3: upside down.
            let flipped = try JPEGCodec.decode(data: withOrientation(jpeg, 3, littleEndian: little))
            XCTAssertEqual(flipped.width, 64)
            XCTAssertLessThan(flipped.rgba[4 * (45 * 64 + 61)], 60, "dark square at the bottom right")
        }
        // Garbage in the Exif block reads as upright, never crashes.
        var broken = withOrientation(jpeg, 6, littleEndian: true)
        broken[12] = 0xFF; broken[13] = 0xFF
        XCTAssertEqual(try JPEGCodec.decode(data: broken).width, 64)
    }

    func testHugeClaimedSizeIsRefusedBeforeDecoding() throws {
        var (_, jpeg) = try sample()
        // Rewrite the SOF0 frame header's height and width to 60000 x 60000.
        guard let sof = (0..<(jpeg.count - 9)).first(where: { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }) else {
            return XCTFail("no SOF0 marker")
        }
        jpeg[sof + 5] = 0xEA; jpeg[sof + 6] = 0x60; jpeg[sof + 7] = 0xEA; jpeg[sof + 8] = 0x60
        XCTAssertThrowsError(try JPEGCodec.decode(data: jpeg)) { error in
            guard case .tooLarge(_, 60000, 60000)? = error as? JPEGError else { return XCTFail("\(error)") }
            XCTAssertTrue(String(describing: error).contains("Crop or scale"))
        }
    }

    func testBadBytesGiveTypedErrors() throws {
        XCTAssertThrowsError(try JPEGCodec.decode(data: [])) { XCTAssertEqual($0 as? JPEGError, .empty(source: "JPEG data")) }
        XCTAssertThrowsError(try JPEGCodec.decode(data: Array("GIF89a".utf8))) {
            XCTAssertEqual($0 as? JPEGError, .notJPEG(source: "JPEG data"))
        }
        let (_, jpeg) = try sample()
        XCTAssertThrowsError(try JPEGCodec.decode(data: Array(jpeg.prefix(40)))) { error in
            guard case .corrupt? = error as? JPEGError else { return XCTFail("\(error)") }
        }
        // Cut in the middle of the image data: refused, not half a picture.
        XCTAssertThrowsError(try JPEGCodec.decode(data: Array(jpeg.prefix(jpeg.count * 2 / 3)))) { error in
            guard case .corrupt? = error as? JPEGError else { return XCTFail("\(error)") }
            XCTAssertTrue(String(describing: error).contains("damaged or truncated"))
        }
        XCTAssertThrowsError(try JPEGCodec.encodeGray(width: 4, height: 4, gray: [0, 1], quality: 80))
        XCTAssertThrowsError(try JPEGCodec.encodeGray(width: 1, height: 1, gray: [0], quality: 0))
    }

    /// Seeded mutations of a real photo: every one decodes or gives a typed error, none crashes.
    func testMutatedJPEGsNeverCrash() throws {
        var synthesizer = PhotoSynthesizer(seed: 21)
        let photo = try synthesizer.make([DigitGlyph(ink: GrayImage(width: 10, height: 20, fill: 1), label: 1)], condition: .ruled)
        var random = SplitMix64(seed: 77)
        var decoded = 0, refused = 0
        for _ in 0..<300 {
            var bytes = photo.jpeg
            for _ in 0..<(1 + Int(random.next() % 8)) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 64)))
                default: bytes.insert(contentsOf: [0xFF, UInt8(truncatingIfNeeded: random.next())], at: at)
                }
            }
            do {
                let image = try JPEGCodec.decode(data: bytes)
                XCTAssertEqual(image.rgba.count, image.width * image.height * 4)
                decoded += 1
            } catch is JPEGError {
                refused += 1
            }
        }
        XCTAssertEqual(decoded + refused, 300)
        XCTAssertGreaterThan(refused, 0)
    }

    func testPictureFileRoutesByContentNotName() throws {
        let dir = try makeScratchDirectory(self)
        let (_, jpeg) = try sample()
        let misnamed = dir.appendingPathComponent("photo.png")
        try Data(jpeg).write(to: misnamed)
        let read = try PictureFile.read(path: misnamed.path)
        XCTAssertEqual(read.format, .jpeg)
        XCTAssertEqual(read.image.width, 64)
        let png = dir.appendingPathComponent("picture.jpg")
        try Data(try PNGCodec.encodeGray(GrayImage(width: 5, height: 7))).write(to: png)
        XCTAssertEqual(try PictureFile.read(path: png.path).format, .png)
        let text = dir.appendingPathComponent("notes.jpg")
        try Data("hello".utf8).write(to: text)
        XCTAssertThrowsError(try PictureFile.decode(path: text.path)) { error in
            XCTAssertTrue(String(describing: error).contains("not a PNG or JPEG"), "\(error)")
            XCTAssertTrue(String(describing: error).contains(text.path))
        }
        XCTAssertThrowsError(try PictureFile.decode(path: dir.path)) { error in
            XCTAssertTrue(String(describing: error).contains("folder"), "\(error)")
        }
    }

    func testLargePicturesAreDecodedReducedInTheDCTAndTheHeaderGivesTheFullSize() throws {
        // A 2400x1800 gray picture: left half dark, right half light.
        let width = 2400, height = 1800
        var gray = [UInt8](repeating: 230, count: width * height)
        for y in 0..<height { for x in 0..<(width / 2) { gray[y * width + x] = 20 } }
        let jpeg = try JPEGCodec.encodeGray(width: width, height: height, gray: gray, quality: 90)
        let size = try XCTUnwrap(jpeg.withUnsafeBytes { JPEGCodec.size(of: $0) })
        XCTAssertEqual(size.width, width)
        XCTAssertEqual(size.height, height)
        XCTAssertEqual(JPEGCodec.reduction(width: width, height: height, maxPixels: 4_194_304), 2)
        XCTAssertEqual(JPEGCodec.reduction(width: 8000, height: 6000, maxPixels: 4_194_304), 4)
        XCTAssertEqual(JPEGCodec.reduction(width: 640, height: 480, maxPixels: 4_194_304), 1)
        XCTAssertEqual(JPEGCodec.reduction(width: 640, height: 480, maxPixels: nil), 1)
        let reduced = try JPEGCodec.decode(data: jpeg)
        XCTAssertEqual(reduced.width, 1200)
        XCTAssertEqual(reduced.height, 900)
        // The content survives the reduction: dark on the left, light on the right.
        XCTAssertLessThan(reduced.rgba[(450 * 1200 + 300) * 4], 40)
        XCTAssertGreaterThan(reduced.rgba[(450 * 1200 + 900) * 4], 200)
        let full = try JPEGCodec.decode(data: jpeg, maxPixels: nil)
        XCTAssertEqual(full.width, width)
        XCTAssertNil([UInt8]([1, 2, 3]).withUnsafeBytes { JPEGCodec.size(of: $0) })
    }

    func testCMYKJPEGsAreReadInColourNotCalledDamaged() throws {
        // Inverted CMYK (Adobe's convention): 255 is no ink. A black square on white paper.
        let side = 32
        var cmyk = [UInt8](repeating: 255, count: side * side * 4)
        for y in 8..<24 { for x in 8..<24 { cmyk[(y * side + x) * 4 + 3] = 0 } }
        let jpeg = try JPEGCodec.encode(width: side, height: side, pixels: cmyk, format: TJPF_CMYK, subsampling: TJSAMP_444, quality: 95)
        let image = try JPEGCodec.decode(data: jpeg)
        XCTAssertEqual(image.width, side)
        XCTAssertGreaterThan(image.rgba[(2 * side + 2) * 4], 220, "paper is white")
        XCTAssertLessThan(image.rgba[(16 * side + 16) * 4], 35, "ink is black")
        XCTAssertEqual(image.rgba[(16 * side + 16) * 4 + 3], 255)
    }
}
