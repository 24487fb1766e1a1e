import Foundation
import XCTest
@testable import NumeralVision
final class PictureTimingTests: XCTestCase {
    func testTiming() throws {
        let test = try MNISTFixture.requireTestSplit()
        let picture = PictureFactory.blurred(PictureFactory.resized(test.grayImage(at: 0), width: 300, height: 300), radius: 2)
        let png = try PNGCodec.encodeRGBA(width: 300, height: 300, rgba: PictureFactory.rgba(picture, style: .init()))
        let n = PictureNormalizer()
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            let start = Date()
            for _ in 0..<50 { try body() }
            print(name, String(format: "%.3f ms", Date().timeIntervalSince(start) * 1000 / 50))
        }
        let decoded = try PNGCodec.decode(data: png)
        let ink = n.inkImage(from: decoded)
        try time("decode") { _ = try PNGCodec.decode(data: png) }
        time("lum") { _ = PictureInk.luminance(decoded) }
        time("ink") { _ = n.inkImage(from: decoded) }
        time("components") { _ = PictureComponents(ink, cutoff: 0.2) }
        try time("normalize") { _ = try n.normalize(ink) }
    }
}
