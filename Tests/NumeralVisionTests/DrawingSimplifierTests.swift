import Foundation
import XCTest
@testable import NumeralVision

final class DrawingSimplifierTests: XCTestCase {
    func testALargeDrawingIsThinnedToTheCapKeepingItsEndsAndShape() {
        // A circle of 20,000 points.
        let circle = (0..<20_000).map { i -> StrokePoint in
            let a = Double(i) / 20_000 * 2 * .pi
            return StrokePoint(x: 140 + 100 * cos(a), y: 140 + 100 * sin(a))
        }
        let drawing = Drawing(strokes: [Stroke(points: circle)], width: 280, height: 280)
        let (thinned, tolerance) = DrawingSimplifier(maxPoints: 500).simplify(drawing)
        let kept = thinned.strokes[0].points
        XCTAssertLessThanOrEqual(kept.count, 500)
        XCTAssertGreaterThan(kept.count, 20)
        XCTAssertGreaterThan(tolerance, 0)
        XCTAssertEqual(kept.first, circle.first)
        XCTAssertEqual(kept.last, circle.last)
        // Every kept point is on the circle, and consecutive kept points are close: the shape is kept.
        for p in kept { XCTAssertEqual(((p.x - 140) * (p.x - 140) + (p.y - 140) * (p.y - 140)).squareRoot(), 100, accuracy: 1e-6) }
        for (a, b) in zip(kept, kept.dropFirst()) {
            XCTAssertLessThan(((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot(), 40)
        }
    }

    func testADrawingWithinTheCapIsUnchanged() {
        let drawing = Drawing(strokes: [Stroke(points: (0..<50).map { StrokePoint(x: Double($0), y: Double($0 % 7)) })])
        let (same, tolerance) = DrawingSimplifier(maxPoints: 100).simplify(drawing)
        XCTAssertEqual(same, drawing)
        XCTAssertEqual(tolerance, 0)
    }

    func testCollinearPointsAndRepeatedPointsCollapseToTheEnds() {
        let line = (0..<1_000).map { StrokePoint(x: Double($0), y: 2 * Double($0)) }
        XCTAssertEqual(DrawingSimplifier.thin(line, tolerance: 0.01).count, 2)
        let still = [StrokePoint](repeating: StrokePoint(x: 5, y: 5), count: 300)
        XCTAssertEqual(DrawingSimplifier.thin(still, tolerance: 0.01).count, 2)
        XCTAssertEqual(DrawingSimplifier.thin(Array(line.prefix(2)), tolerance: 1).count, 2)
    }
}
