import CZlib
import Foundation
import XCTest
@testable import NumeralVision

/// ImageMagick's `convert`, used at test time to produce PNG flavours our own encoder never writes.
enum ImageMagickTool {
    static let executable: String? = ["/usr/bin/convert", "/usr/local/bin/convert", "/usr/bin/magick"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func require() throws -> String {
        guard let executable else { throw XCTSkip("ImageMagick `convert` is not installed; PNG flavour tests need it") }
        return executable
    }

    static func convert(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try require())
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "convert", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "convert \(arguments.joined(separator: " ")) failed"])
        }
    }
}

final class PNGCodecTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try makeScratchDirectory(self) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func assertPNGError(_ body: @autoclosure () throws -> Any, _ check: (PNGError) -> Bool,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let pngError = error as? PNGError else { return XCTFail("not a PNGError: \(error)", file: file, line: line) }
            XCTAssertTrue(check(pngError), "unexpected error: \(pngError)", file: file, line: line)
        }
    }

    /// A gray test card: a gradient with a dark square, so every flavour has structure to compare.
    private func grayCard(width: Int = 37, height: Int = 23) -> GrayImage {
        var image = GrayImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y] = (x > 10 && x < 20 && y > 5 && y < 15) ? 0 : Float(x + y) / Float(width + height)
            }
        }
        return image
    }

    private func grayValues(_ decoded: DecodedImage) -> [Int] {
        stride(from: 0, to: decoded.rgba.count, by: 4).map { Int(decoded.rgba[$0]) }
    }

    // MARK: round trips

    func testRGBARoundTripIsExact() throws {
        var rng = SplitMix64(seed: 1)
        let rgba = (0..<31 * 17 * 4).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let bytes = try PNGCodec.encodeRGBA(width: 31, height: 17, rgba: rgba)
        XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let decoded = try PNGCodec.decode(data: bytes)
        XCTAssertEqual(decoded.width, 31)
        XCTAssertEqual(decoded.height, 17)
        XCTAssertEqual(decoded.rgba, rgba)

        try PNGCodec.writeRGBA(path: path("rgba.png"), width: 31, height: 17, rgba: rgba)
        XCTAssertEqual(try PNGCodec.decode(path: path("rgba.png")).rgba, rgba)
    }

    func testGrayWriteDecodesToGrayRGBAWithOptionalInversion() throws {
        let card = grayCard()
        try PNGCodec.writeGray(path: path("ink.png"), image: card)
        try PNGCodec.writeGray(path: path("paper.png"), image: card, invert: true)
        let ink = try PNGCodec.decode(path: path("ink.png"))
        let paper = try PNGCodec.decode(path: path("paper.png"))
        for i in card.pixels.indices {
            let expected = Int((card.pixels[i] * 255).rounded())
            XCTAssertEqual(Int(ink.rgba[i * 4]), expected)
            XCTAssertEqual(Int(ink.rgba[i * 4 + 1]), expected)
            XCTAssertEqual(Int(ink.rgba[i * 4 + 3]), 255)
            XCTAssertEqual(Int(paper.rgba[i * 4]), Int(((1 - card.pixels[i]) * 255).rounded()))
        }
        // Out-of-range and NaN intensities are clamped, not trapped.
        let odd = GrayImage(width: 3, height: 1, pixels: [-1, .nan, 7])
        XCTAssertEqual(grayValues(try PNGCodec.decode(data: PNGCodec.encodeGray(odd))), [0, 0, 255])
    }

    func testEveryPNGFlavourDecodesToTheSamePixels() throws {
        let card = grayCard()
        let source = path("card.png")
        try PNGCodec.writeGray(path: source, image: card)
        let reference = grayValues(try PNGCodec.decode(path: source))
        let flavours: [(name: String, args: [String], tolerance: Int)] = [
            ("gray16", ["-define", "png:bit-depth=16", "-define", "png:color-type=0"], 1),
            ("rgb16", ["-define", "png:bit-depth=16", "-define", "png:color-type=2"], 1),
            ("rgba16", ["-alpha", "set", "-define", "png:bit-depth=16", "-define", "png:color-type=6"], 1),
            ("palette", ["PNG8:"], 2),
            ("interlaced", ["-interlace", "PNG"], 0),
            ("interlaced-rgb", ["-interlace", "PNG", "-define", "png:color-type=2"], 0),
            ("gray-alpha", ["-alpha", "set", "-define", "png:color-type=4"], 0),
        ]
        for flavour in flavours {
            let target = path("\(flavour.name).png")
            let output = flavour.args.last == "PNG8:" ? "PNG8:" + target : target
            try ImageMagickTool.convert([source] + flavour.args.filter { $0 != "PNG8:" } + [output])
            let decoded = try PNGCodec.decode(path: target)
            XCTAssertEqual(decoded.width, card.width, flavour.name)
            XCTAssertEqual(decoded.height, card.height, flavour.name)
            let maxDiff = zip(grayValues(decoded), reference).map { abs($0 - $1) }.max() ?? 999
            XCTAssertLessThanOrEqual(maxDiff, flavour.tolerance, "\(flavour.name) differs by \(maxDiff)")
        }
    }

    func testLowBitDepthAndTransparentPalette() throws {
        let card = grayCard()
        let source = path("card.png")
        try PNGCodec.writeGray(path: source, image: card)

        let oneBit = path("bw1.png")
        try ImageMagickTool.convert([source, "-threshold", "50%", "-define", "png:bit-depth=1", "-define", "png:color-type=0", oneBit])
        let bw = grayValues(try PNGCodec.decode(path: oneBit))
        XCTAssertEqual(Set(bw), [0, 255])
        XCTAssertEqual(bw[12 * card.width + 15], 0, "the dark square stays dark")

        // Palette + tRNS: black becomes transparent, which must show up in alpha.
        let transparent = path("trns.png")
        try ImageMagickTool.convert([source, "-transparent", "black", "PNG8:" + transparent])
        let decoded = try PNGCodec.decode(path: transparent)
        let squareAlpha = decoded.rgba[(12 * card.width + 15) * 4 + 3]
        let gradientAlpha = decoded.rgba[(20 * card.width + 30) * 4 + 3]
        XCTAssertEqual(squareAlpha, 0)
        XCTAssertEqual(gradientAlpha, 255)
    }

    // MARK: bad input

    func testNonPNGEmptyAndMissingFilesAreRefused() throws {
        try Data().write(to: URL(fileURLWithPath: path("empty.png")))
        assertPNGError(try PNGCodec.decode(path: path("empty.png"))) { if case .empty = $0 { return true }; return false }
        assertPNGError(try PNGCodec.decode(data: Array("GIF89a not a png at all".utf8))) { if case .notPNG = $0 { return true }; return false }
        assertPNGError(try PNGCodec.decode(path: path("missing.png"))) { if case .fileNotFound = $0 { return true }; return false }
    }

    func testTruncatedAndCorruptedPNGsAreRefused() throws {
        var rng = SplitMix64(seed: 2)
        let rgba = (0..<64 * 64 * 4).map { _ in UInt8(truncatingIfNeeded: rng.next() & 0x3F) }
        let bytes = try PNGCodec.encodeRGBA(width: 64, height: 64, rgba: rgba)
        for cut in [8, 20, 40, bytes.count / 2, bytes.count - 13] {
            assertPNGError(try PNGCodec.decode(data: Array(bytes.prefix(cut)))) {
                if case .corrupt = $0 { return true }; return false
            }
        }
        var flipped = bytes
        for i in stride(from: 60, to: flipped.count - 20, by: 50) { flipped[i] ^= 0xFF }
        assertPNGError(try PNGCodec.decode(data: flipped)) { if case .corrupt = $0 { return true }; return false }
    }

    func testHugeHeaderIsRefusedWithoutAllocating() throws {
        for (width, height) in [(30000, 30000), (8193, 10), (8000, 8000)] {
            let start = Date()
            assertPNGError(try PNGCodec.decode(data: pngHeaderOnly(width: width, height: height))) {
                if case let .tooLarge(_, w, h) = $0 { return w == width && h == height }
                return false
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 0.1)
        }
    }

    func testEncoderRejectsInconsistentInput() {
        assertPNGError(try PNGCodec.encodeRGBA(width: 2, height: 2, rgba: [1, 2, 3])) { if case .invalidPixels = $0 { return true }; return false }
        assertPNGError(try PNGCodec.encodeRGBA(width: 0, height: 5, rgba: [])) { if case .invalidPixels = $0 { return true }; return false }
        assertPNGError(try PNGCodec.encodeRGBA(width: 9000, height: 1, rgba: [UInt8](repeating: 0, count: 36000))) {
            if case .invalidPixels = $0 { return true }; return false
        }
        assertPNGError(try PNGCodec.writeGray(path: "/nonexistent-dir/x.png", image: grayCard())) {
            if case .writeFailed = $0 { return true }; return false
        }
        XCTAssertThrowsError(try DecodedImage(width: 2, height: 2, rgba: [0]))
    }

    /// Signature + a valid IHDR chunk (correct CRC) + nothing else.
    private func pngHeaderOnly(width: Int, height: Int) -> [UInt8] {
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let body: [UInt8] = Array("IHDR".utf8) + be32(width) + be32(height) + [8, 6, 0, 0, 0]
        let crc = body.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + body + be32(crc)
    }
}
