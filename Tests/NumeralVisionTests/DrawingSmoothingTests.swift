import Foundation
import XCTest
@testable import NumeralVision

final class DrawingSmoothingTests: XCTestCase {
    /// Twelve samples on a circle of radius 100: the polygon's chords sag 3.4 units inside.
    let circle = Stroke(points: (0...12).map { i in
        let angle = Double(i) / 12 * 2 * .pi
        return StrokePoint(x: 200 + 100 * cos(angle), y: 200 + 100 * sin(angle), pressure: Double(i) / 12, time: Double(i))
    })

    func testKeepsOriginalPointsAndLimitsSegmentLength() {
        let smooth = circle.smoothed(maximumSegmentLength: 5)
        for original in circle.points {
            XCTAssertTrue(smooth.points.contains(original))
        }
        for (a, b) in zip(smooth.points, smooth.points.dropFirst()) {
            XCTAssertLessThanOrEqual(hypot(b.x - a.x, b.y - a.y), 5.5)
        }
        XCTAssertEqual(smooth.points.first, circle.points.first)
        XCTAssertEqual(smooth.points.last, circle.points.last)
    }

    func testFollowsTheCurveBetweenSparseSamples() {
        // Interior segments only: the end segments have no neighbour to tell them the curvature.
        let interior = Stroke(points: Array(circle.points[0...12]) + [circle.points[1]])
        let smooth = interior.smoothed(maximumSegmentLength: 2)
        let first = smooth.points.firstIndex(of: circle.points[1]) ?? 0
        let last = smooth.points.lastIndex(of: circle.points[12]) ?? first
        let worst = smooth.points[first...last].map { abs(hypot($0.x - 200, $0.y - 200) - 100) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1.0, "chords sag 3.4; the spline stays within 1 of the circle")
    }

    func testInterpolatesPressureAndTime() {
        let smooth = circle.smoothed(maximumSegmentLength: 10)
        let times = smooth.points.compactMap(\.time)
        XCTAssertEqual(times.count, smooth.points.count)
        XCTAssertEqual(times, times.sorted())
        XCTAssertTrue(smooth.points.allSatisfy { ($0.pressure ?? -1) >= 0 && ($0.pressure ?? 2) <= 1 })
    }

    func testSharpCornersDoNotOvershoot() {
        // A '7' sampled only at its corners: the curve rounds the corner but bulges out by
        // less than 5% of the digit's 200 units (uniform Catmull-Rom bulges more).
        let seven = Stroke(points: [StrokePoint(x: 0, y: 0), StrokePoint(x: 100, y: 0), StrokePoint(x: 40, y: 200)])
        let smooth = seven.smoothed(maximumSegmentLength: 2)
        XCTAssertLessThan(smooth.points.map(\.x).max() ?? .infinity, 110)
        XCTAssertGreaterThan(smooth.points.map(\.y).min() ?? -.infinity, -10)
    }

    func testDegenerateInputIsLeftAlone() {
        let two = Stroke(points: [StrokePoint(x: 0, y: 0), StrokePoint(x: 100, y: 0)])
        XCTAssertEqual(two.smoothed(maximumSegmentLength: 1), two, "two points are already a straight line")
        XCTAssertEqual(circle.smoothed(maximumSegmentLength: 0), circle)
        XCTAssertEqual(circle.smoothed(maximumSegmentLength: .nan), circle)
        let repeated = Stroke(points: Array(repeating: StrokePoint(x: 3, y: 3), count: 5))
        XCTAssertTrue(repeated.smoothed(maximumSegmentLength: 1).points.allSatisfy { $0.x == 3 && $0.y == 3 })
        let drawing = Drawing(strokes: [circle, two], label: 0)
        let smooth = drawing.smoothed(maximumSegmentLength: 5)
        XCTAssertEqual(smooth.label, 0)
        XCTAssertEqual(smooth.strokes.count, 2)
    }
}
