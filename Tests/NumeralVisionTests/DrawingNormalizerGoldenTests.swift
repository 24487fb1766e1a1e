import NumeralVision
import XCTest

/// Golden 28×28 outputs for known strokes: any change to the rasterizer, the pen, the 20-pixel box
/// or the centering shows up here as a picture diff, and then the shipped model must be re-checked,
/// since it was trained on exactly these images.
final class DrawingNormalizerGoldenTests: XCTestCase {
    /// Ten gray levels, paper to full ink.
    private func art(_ image: GrayImage) -> [String] {
        let ramp = Array(" .:-=+*#%@")
        return (0..<image.height).map { y in
            String((0..<image.width).map { x in ramp[min(9, max(0, Int((image[x, y] * 9).rounded())))] })
        }
    }

    private func check(_ drawing: Drawing, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let actual = art(try DrawingNormalizer().normalize(drawing))
        XCTAssertEqual(actual, expected, "\nactual:\n" + actual.map { "\"\($0)\"," }.joined(separator: "\n"), file: file, line: line)
    }

    private func stroke(_ points: [(Double, Double)]) -> Stroke { Stroke(points: points.map { StrokePoint(x: $0.0, y: $0.1) }) }

    func testVerticalOne() throws {
        try check(Drawing(strokes: [stroke([(100, 20), (100, 220)])]), Self.one)
    }

    func testSevenWithTwoStrokes() throws {
        try check(Drawing(strokes: [stroke([(30, 40), (170, 40)]), stroke([(170, 40), (90, 240)])]), Self.seven)
    }

    func testClosedZero() throws {
        let ring = (0...24).map { i -> (Double, Double) in
            let a = Double(i) / 24 * 2 * .pi
            return (150 + 60 * cos(a), 150 + 90 * sin(a))
        }
        try check(Drawing(strokes: [stroke(ring)]), Self.zero)
    }

    static let one: [String] = [
        "                            ",
        "                            ",
        "                            ",
        "                            ",
        "             --             ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "            -@@-            ",
        "             --             ",
        "                            ",
        "                            ",
        "                            ",
        "                            ",
    ]
    static let seven: [String] = [
        "                            ",
        "                            ",
        "                            ",
        "                            ",
        "                            ",
        "                            ",
        "                            ",
        "      -============:        ",
        "     .%@@@@@@@@@@@@#        ",
        "      #@@@@@@@@@@@@*        ",
        "      .---------+@@=        ",
        "               .#@%.        ",
        "               -@@+         ",
        "               *@@:         ",
        "              :@@*          ",
        "              +@@=          ",
        "             .#@%.          ",
        "             -@@+           ",
        "             *@@:           ",
        "            :@@*            ",
        "            +@@=            ",
        "           .#@%.            ",
        "           -@@+             ",
        "           *@@:             ",
        "          :@@*              ",
        "          :%@=              ",
        "           :-               ",
        "                            ",
    ]
    static let zero: [String] = [
        "                            ",
        "                            ",
        "                            ",
        "                            ",
        "            :--:            ",
        "          :+@@@@+:          ",
        "         :#@@@@@@#:         ",
        "        .*@@#==#@@*.        ",
        "        =@@*.  .*@@=        ",
        "        #@@:    :@@#        ",
        "       :@@+      +@@:       ",
        "       =@@-      -@@=       ",
        "       +@@:      :@@+       ",
        "       *@%.      .%@*       ",
        "       *@%.      .%@*       ",
        "       +@@:      :@@+       ",
        "       =@@-      -@@=       ",
        "       :@@+      +@@:       ",
        "        #@@:    :@@#        ",
        "        =@@*.  .*@@=        ",
        "        .*@@#==#@@*.        ",
        "         :#@@@@@@#:         ",
        "          :+@@@@+:          ",
        "            :--:            ",
        "                            ",
        "                            ",
        "                            ",
        "                            ",
    ]
}
