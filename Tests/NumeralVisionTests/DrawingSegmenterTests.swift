import Foundation
import XCTest
@testable import NumeralVision

final class DrawingSegmenterTests: XCTestCase {
    let segmenter = DrawingSegmenter()

    static func drawing(_ strokes: [[(Double, Double)]]) -> Drawing {
        Drawing(strokes: strokes.map { Stroke(points: $0.map { StrokePoint(x: $0.0, y: $0.1) }) })
    }

    static func shifted(_ drawing: Drawing, dx: Double, dy: Double = 0) -> Drawing {
        var copy = drawing
        copy.strokes = drawing.strokes.map { Stroke(points: $0.points.map { StrokePoint(x: $0.x + dx, y: $0.y + dy) }) }
        return copy
    }

    static func xRange(_ drawing: Drawing) -> ClosedRange<Double> {
        let xs = drawing.strokes.flatMap { $0.points.map(\.x) }
        return (xs.min() ?? 0)...(xs.max() ?? 0)
    }

    static func yRange(_ drawing: Drawing) -> ClosedRange<Double> {
        let ys = drawing.strokes.flatMap { $0.points.map(\.y) }
        return (ys.min() ?? 0)...(ys.max() ?? 0)
    }

    /// Places the digits left to right with `gap` (a fraction of the first digit's height) between
    /// their boxes, each digit vertically centered on the same line.
    static func row(_ digits: [Drawing], gap: Double) -> (row: Drawing, placed: [[Stroke]]) {
        let lineHeight = yRange(digits[0]).upperBound - yRange(digits[0]).lowerBound
        var cursor = 0.0
        var placedDigits: [[Stroke]] = []
        for digit in digits {
            let xs = xRange(digit), ys = yRange(digit)
            let placed = shifted(digit, dx: cursor - xs.lowerBound, dy: 250 - (ys.lowerBound + ys.upperBound) / 2)
            placedDigits.append(placed.strokes)
            cursor += xs.upperBound - xs.lowerBound + gap * lineHeight
        }
        return (Drawing(strokes: placedDigits.flatMap { $0 }, width: cursor, height: 500), placedDigits)
    }

    // MARK: single digits stay whole

    func testMultiStrokeSingleDigitsStayOneGroup() throws {
        let cases: [(String, Drawing)] = [
            ("7 with crossbar", Self.drawing([[(0, 0), (100, 0), (40, 200)], [(30, 100), (90, 100)]])),
            ("4 in two strokes", Self.drawing([[(50, 0), (0, 120), (100, 120)], [(80, 40), (80, 200)]])),
            ("4 with the stem at the bar's end", Self.drawing([[(40, 0), (0, 120), (80, 120)], [(78, 40), (80, 200)]])),
            ("1 with flag and base", Self.drawing([[(20, 30), (50, 0), (50, 200)], [(10, 200), (90, 200)]])),
            ("5 with separate bar", Self.drawing([[(10, 0), (5, 90), (60, 100), (70, 160), (0, 200)], [(10, 0), (80, 0)]])),
            ("single dot", Self.drawing([[(5, 5)]])),
            ("vertical strokes on one x", Self.drawing([[(5, 0), (5, 100)], [(5, 120), (5, 200)]])),
        ]
        for (name, drawing) in cases {
            let parts = try segmenter.segment(drawing)
            XCTAssertEqual(parts.count, 1, name)
            XCTAssertEqual(parts.first?.strokes, drawing.strokes, name)
        }
    }

    func testPenDigitsAreAlmostNeverSplit() throws {
        let samples = try PenDigitsFixture.samples()
        var split: [Int: Int] = [:]
        for sample in samples where try segmenter.segment(sample.drawing).count != 1 {
            split[sample.label, default: 0] += 1
        }
        let rate = Double(split.values.reduce(0, +)) / Double(samples.count)
        print(String(format: "segmenter: %.2f%% of %d single pen digits split; by label %@",
                     rate * 100, samples.count, split.sorted { $0.key < $1.key }.description))
        XCTAssertLessThan(rate, 0.01)
    }

    // MARK: rows of digits come apart in order

    func testRowsOfPenDigitsAreSplitInOrder() throws {
        let samples = try PenDigitsFixture.samples()
        var generator = SplitMix64(seed: 42)
        var correct = 0
        let trials = 600
        for _ in 0..<trials {
            let count = Int.random(in: 3...5, using: &generator)
            let digits = (0..<count).map { _ in samples[Int.random(in: 0..<samples.count, using: &generator)] }
            let gap = Double.random(in: 0.1...0.35, using: &generator)
            let (row, placed) = Self.row(digits.map(\.drawing), gap: gap)
            if try segmenter.segment(row).map(\.strokes) == placed { correct += 1 }
        }
        let rate = Double(correct) / Double(trials)
        print(String(format: "segmenter: %.1f%% of %d rows of 3-5 pen digits split exactly", rate * 100, trials))
        XCTAssertGreaterThan(rate, 0.97)
    }

    func testNarrowDigitNextToAWideOneStaysApart() throws {
        // "41" and "17": a 1 is one vertical stroke, a gap of 15% of the height separates it.
        let four = Self.drawing([[(50, 0), (0, 120), (100, 120)], [(80, 40), (80, 200)]])
        let one = Self.drawing([[(130, 0), (130, 200)]])
        let seven = Self.drawing([[(160, 0), (260, 0), (200, 200)]])
        let parts = try segmenter.segment(Drawing(strokes: four.strokes + one.strokes + seven.strokes))
        XCTAssertEqual(parts.map(\.strokes), [four.strokes, one.strokes, seven.strokes])
    }

    func testPartsKeepCoordinatesAndComeLeftToRight() throws {
        let one = Self.drawing([[(300, 0), (300, 200)]])
        let seven = Self.drawing([[(0, 0), (100, 0), (40, 200)], [(30, 100), (90, 100)]])
        let four = Self.drawing([[(550, 0), (500, 120), (600, 120)], [(580, 40), (580, 200)]])
        // Written out of order: the 4 first, then the 1, then the 7.
        var row = Drawing(strokes: [four.strokes[0], one.strokes[0], seven.strokes[0], four.strokes[1], seven.strokes[1]],
                          width: 640, height: 240, label: 7)
        let parts = try segmenter.segment(row)
        XCTAssertEqual(parts.map(\.strokes), [seven.strokes, one.strokes, four.strokes])
        XCTAssertTrue(parts.allSatisfy { $0.width == 640 && $0.height == 240 && $0.label == nil })
        row.strokes = seven.strokes
        XCTAssertEqual(try segmenter.segment(row).first?.label, 7, "a single digit keeps its label")
    }

    func testEmptyAndInvalidDrawings() {
        XCTAssertEqual(try segmenter.segment(Drawing(strokes: [])), [])
        XCTAssertEqual(try segmenter.segment(Drawing(strokes: [Stroke(points: [])])), [])
        XCTAssertThrowsError(try segmenter.segment(Self.drawing([[(0, 0), (.nan, 1)]]))) {
            XCTAssertEqual($0 as? VisionError, .nonFiniteCoordinate(stroke: 0, point: 1))
        }
    }

    func testManyStrokesAreFast() throws {
        // 2,000 short strokes in 100 columns: the columns are 100 groups.
        let strokes = (0..<2_000).map { i -> [(Double, Double)] in
            let x = Double(i % 100) * 30, y = Double(i / 100) * 10
            return [(x, y), (x + 10, y + 8)]
        }
        let start = Date()
        let parts = try segmenter.segment(Self.drawing(strokes))
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        XCTAssertEqual(parts.count, 100)
    }
}
