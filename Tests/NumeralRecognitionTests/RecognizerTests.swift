import NumeralEngine
import NumeralRecognition
import NumeralVision
import XCTest

final class RecognizerTests: XCTestCase {
    private func recognizer() throws -> Recognizer { Recognizer(model: try TestData.shippedModel()) }

    func testEmptyAndNonFiniteDrawingsAreRejectedClearly() throws {
        let r = try recognizer()
        XCTAssertThrowsError(try r.recognize(Drawing(strokes: []))) { XCTAssertEqual($0 as? VisionError, .nothingDrawn) }
        let nan = Drawing(strokes: [Stroke(points: [StrokePoint(x: 1, y: .nan), StrokePoint(x: 2, y: 3)])])
        XCTAssertThrowsError(try r.recognize(nan)) { error in
            guard case .nonFiniteCoordinate? = error as? VisionError else { return XCTFail("\(error)") }
        }
    }

    func testSeveralPenDigitsSideBySideReadAsANumber() throws {
        let r = try recognizer()
        let samples = try PenDigits.load(path: try TestData.penDigitsPath())
            .filter { TrainingData.heldOutPenWriters.contains($0.writer) }
        // Seeded, and enough numbers that the share is not luck (40 random ones made it flaky: 33/40 once).
        var rng = SeededGenerator(seed: 2026)
        var correct = 0
        let trials = 200
        for _ in 0..<trials {
            let picks = (0..<4).map { _ in samples.randomElement(using: &rng)! }
            var strokes: [Stroke] = []
            for (i, s) in picks.enumerated() {
                strokes += s.drawing.strokes.map { Stroke(points: $0.points.map { StrokePoint(x: $0.x + Double(i) * 620, y: $0.y) }) }
            }
            let expected = picks.map { String($0.label) }.joined()
            if (try? r.recognize(Drawing(strokes: strokes)).number) == expected { correct += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(correct) / Double(trials), 0.85, "four-digit numbers read right \(correct)/\(trials)")
    }

    func testMNISTDigitsSavedAsPNGsInManyFormsAreRecognized() throws {
        let r = try recognizer()
        let test = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test).prefix(150)
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var correct = 0, total = 0
        for i in 0..<test.count {
            let img = test.grayImage(at: i)
            // Alternate size, polarity and padding like scans and screenshots do.
            let side = [28, 64, 150][i % 3], pad = [0, 10, 40][i % 3], darkOnLight = i % 2 == 0
            let full = side + 2 * pad
            var rgba = [UInt8](repeating: darkOnLight ? 255 : 0, count: full * full * 4)
            for y in 0..<full {
                for x in 0..<full {
                    let k = (y * full + x) * 4
                    rgba[k + 3] = 255
                    guard x >= pad, y >= pad, x < pad + side, y < pad + side else { continue }
                    let v = img[(x - pad) * 28 / side, (y - pad) * 28 / side]
                    let g = UInt8(darkOnLight ? 255 - v * 255 : v * 255)
                    rgba[k] = g; rgba[k + 1] = g; rgba[k + 2] = g
                }
            }
            let path = dir.appendingPathComponent("\(i).png").path
            try PNGCodec.writeRGBA(path: path, width: full, height: full, rgba: rgba)
            total += 1
            if (try? r.recognize(pngAt: path, multiDigit: false).number) == String(test.labels[i]) { correct += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(correct) / Double(total), 0.97, "\(correct)/\(total)")
    }

    func testCorruptPNGGivesAClearError() throws {
        let r = try recognizer()
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.png").path
        try Data("not a png at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try r.recognize(pngAt: path)) { XCTAssertFalse("\($0)".isEmpty) }
    }
}
