import Foundation
import Hummingbird
import HummingbirdTesting
import NumeralServer
import NumeralVision
import XCTest

/// `POST /api/v1/predictions` with a picture gives each digit its box in the picture's own
/// pixels: PNGs through the picture path (also when the picture is averaged down to work on),
/// JPEG photos through the photo reader.
final class PictureBoxTests: XCTestCase {
    /// Dark vertical bars ("1"s) on white paper, each given as x, y, width, height.
    private func bars(width: Int, height: Int, _ rects: [(Int, Int, Int, Int)]) -> [UInt8] {
        var gray = [UInt8](repeating: 255, count: width * height)
        for (x0, y0, w, h) in rects { for y in y0..<(y0 + h) { for x in x0..<(x0 + w) { gray[y * width + x] = 0 } } }
        return gray
    }

    private func boxes(_ response: TestResponse, file: StaticString = #filePath, line: UInt = #line) throws -> [[Double]] {
        XCTAssertEqual(response.status, .created, response.text, file: file, line: line)
        let digits = try XCTUnwrap(response.json["digits"] as? [[String: Any]], file: file, line: line)
        return try digits.map { digit in
            let box = try XCTUnwrap(digit["box"] as? [String: Double], "every digit of a picture has a box", file: file, line: line)
            return [box["x"] ?? -1, box["y"] ?? -1, box["width"] ?? -1, box["height"] ?? -1]
        }
    }

    private func assertBoxes(_ got: [[Double]], _ expected: [(Int, Int, Int, Int)], within tolerance: Double,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, expected.count, "\(got)", file: file, line: line)
        for (box, want) in zip(got, expected) {
            let wanted = [want.0, want.1, want.2, want.3].map(Double.init)
            for (a, b) in zip(box, wanted) {
                XCTAssertEqual(a, b, accuracy: tolerance, "box \(box), drawn at \(wanted)", file: file, line: line)
            }
        }
    }

    func testAMultiDigitPNGGivesEachDigitItsBoxInThePicturesPixels() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        let rects = [(40, 30, 8, 90), (130, 50, 9, 80), (220, 20, 7, 110)]
        var image = GrayImage(width: 300, height: 150, fill: 0)
        for (x0, y0, w, h) in rects { for y in y0..<(y0 + h) { for x in x0..<(x0 + w) { image[x, y] = 1 } } }
        let png = try PNGCodec.encodeGray(image, invert: true)
        try await harness.run { client in
            let response = try await client.call(.post, "/api/v1/predictions", contentType: "image/png", body: png)
            XCTAssertEqual(response.json["number"] as? String, "111")
            self.assertBoxes(try self.boxes(response), rects, within: 1)
        }
    }

    func testABigPNGWorkedOnSmallerStillGivesBoxesInItsOwnPixels() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        // 2400 px wide: averaged down 3x before segmentation, boxes scaled back.
        let rects = [(300, 150, 30, 480), (1200, 180, 27, 450)]
        let gray = bars(width: 2400, height: 800, rects)
        var image = GrayImage(width: 2400, height: 800, fill: 0)
        for i in gray.indices where gray[i] == 0 { image.pixels[i] = 1 }
        let png = try PNGCodec.encodeGray(image, invert: true)
        try await harness.run { client in
            let response = try await client.call(.post, "/api/v1/predictions", contentType: "image/png", body: png)
            XCTAssertEqual(response.json["number"] as? String, "11")
            self.assertBoxes(try self.boxes(response), rects, within: 3)
        }
    }

    /// A phone-like JPEG photo (paper, light, JPEG noise) goes through the photo reader, as the
    /// app's uploads do: each digit's box overlaps where it was written.
    func testAJPEGPhotoGivesEachDigitItsBox() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        let one = Drawing(strokes: [Stroke(points: [StrokePoint(x: 100, y: 30), StrokePoint(x: 104, y: 230)])])
        let seven = Drawing(strokes: [Stroke(points: [StrokePoint(x: 30, y: 40), StrokePoint(x: 170, y: 40), StrokePoint(x: 100, y: 230)])])
        var synthesizer = PhotoSynthesizer(seed: 3)
        let photo = try synthesizer.make([DigitGlyph(drawing: one, label: 1, height: 80, penRadius: 2.5),
                                          DigitGlyph(drawing: seven, label: 7, height: 80, penRadius: 2.5)], condition: .clean)
        try await harness.run { client in
            let response = try await client.call(.post, "/api/v1/predictions", contentType: "image/jpeg", body: photo.jpeg)
            let boxes = try self.boxes(response)
            XCTAssertEqual(boxes.count, 2, response.text)
            for (box, truth) in zip(boxes, photo.boxes) {
                let found = PhotoBox(x: Int(box[0]), y: Int(box[1]), width: Int(box[2]), height: Int(box[3]))
                XCTAssertGreaterThan(found.overlap(truth), 0.5, "\(found) vs \(truth)")
            }
        }
    }
}
