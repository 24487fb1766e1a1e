import NumeralRecognition
@testable import NumeralReport
import NumeralVision
import XCTest

final class ExplanationPictureTests: XCTestCase {
    /// A made-up explanation of a vertical bar: evidence for on the left column of ink, against on the right.
    private func explanation(winner: Int = 1, runnerUp: Int = 7) -> DigitExplanation {
        var input = GrayImage(width: 28, height: 28)
        for y in 4..<24 { input[13, y] = 1; input[14, y] = 1 }
        var probabilities = [Float](repeating: 0.001, count: 10)
        probabilities[winner] = 0.97; probabilities[runnerUp] = 0.022
        var map = [Float](repeating: 0, count: 784)
        for y in 4..<24 { map[y * 28 + 13] = 1; map[y * 28 + 14] = -0.5 }
        let maps = FeatureMaps(channels: 32, height: 28, width: 28, values: (0..<(32 * 784)).map { Float($0 % 29) / 29 })
        return DigitExplanation(prediction: DigitPrediction(probabilities: probabilities, input: input), winner: winner,
                                runnerUp: runnerUp, winnerMap: map, runnerUpMap: map.map { -$0 }, featureMaps: [maps, maps])
    }

    func testOneBlockPerDigitAndEveryTextInsideItsBoxAndThePicture() throws {
        let one = try ExplanationPicture().render([explanation()], modelID: "mnist-cnn-test")
        let two = try ExplanationPicture().render([explanation(), explanation(winner: 4, runnerUp: 9)], modelID: "mnist-cnn-test")
        XCTAssertEqual(one.width, Double(ExplanationPicture.width))
        XCTAssertGreaterThan(two.height, one.height * 1.7)
        let page = CairoCanvas.Rect(x: 0, y: 0, width: two.width, height: two.height)
        let texts = two.placedText.map(\.text)
        for expected in ["Why 14?", "Why 1", "Why not 7?", "Why 4", "Why not 9?", "Top 3", "97.0 %"] {
            XCTAssertTrue(texts.contains(expected), "missing \(expected) in \(texts)")
        }
        for t in two.placedText {
            XCTAssertTrue(t.box.contains(t.extent), "\(t.text) leaves its box: \(t.extent) vs \(t.box)")
            XCTAssertTrue(page.contains(t.extent), "\(t.text) leaves the picture")
        }
    }

    func testMapsAreDrawnInTheirColors() throws {
        let canvas = try ExplanationPicture().render([explanation()], modelID: "m")
        let rgba = canvas.rgba()
        let w = Int(canvas.width)
        func pixel(_ x: Double, _ y: Double) -> (Int, Int, Int) {
            let i = (Int(y) * w + Int(x)) * 4
            return (Int(rgba[i]), Int(rgba[i + 1]), Int(rgba[i + 2]))
        }
        let side = ExplanationPicture.mapSide, cell = side / 28, top = ExplanationPicture.headerHeight + 26
        let winnerLeft = ExplanationPicture.margin + side + 14
        // Column 13 of the winner's map is evidence for (red), column 14 against (blue), column 3 blank.
        let red = pixel(winnerLeft + 13.5 * cell, top + 10.5 * cell)
        let blue = pixel(winnerLeft + 14.5 * cell, top + 10.5 * cell)
        let blank = pixel(winnerLeft + 3.5 * cell, top + 10.5 * cell)
        XCTAssertGreaterThan(red.0, red.2 + 100, "\(red)")
        XCTAssertGreaterThan(blue.2, blue.0 + 60, "\(blue)")
        XCTAssertEqual(blank.0, 255); XCTAssertEqual(blank.2, 255)
    }

    func testNothingToExplainIsAClearError() {
        XCTAssertThrowsError(try ExplanationPicture().render([], modelID: "m")) {
            XCTAssertTrue(String(describing: $0).contains("no digit"))
        }
    }
}
