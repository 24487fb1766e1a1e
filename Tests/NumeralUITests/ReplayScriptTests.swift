import XCTest
import NumeralVision
@testable import NumeralUI

final class ReplayScriptTests: XCTestCase {
    private let canvas = UIRect(x: 100, y: 50, width: 600, height: 400)

    func testStrokesBecomeDownMovesUpScaledIntoTheCanvasCenter() throws {
        let drawing = Drawing(strokes: [
            Stroke(points: [StrokePoint(x: 0, y: 0), StrokePoint(x: 500, y: 500)]),
            Stroke(points: [StrokePoint(x: 250, y: 250)]),
        ], width: 500, height: 500)
        let events = try ReplayScript.pointerEvents(for: drawing, into: canvas)
        XCTAssertEqual(events.map(\.phase), [.down, .move, .up, .down, .up])
        XCTAssertTrue(events.allSatisfy { $0.source == .mouse })
        // 500x500 fills 80% of the 400-point height, centered.
        XCTAssertEqual(events[0].position.x, 100 + (600 - 320) / 2, accuracy: 1e-9)
        XCTAssertEqual(events[0].position.y, 50 + 40, accuracy: 1e-9)
        XCTAssertEqual(events[1].position.y, 50 + 360, accuracy: 1e-9)
        XCTAssertEqual(events[3].position, canvas.center)
        XCTAssertTrue(zip(events, events.dropFirst()).allSatisfy { $0.time < $1.time }, "times increase")
        XCTAssertTrue(events.allSatisfy { canvas.contains($0.position) })
    }

    func testDrawingsWithoutASizeUseTheirBoundingBox() throws {
        let drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: 1000, y: 2000), StrokePoint(x: 1100, y: 2100)])])
        let events = try ReplayScript.pointerEvents(for: drawing, into: canvas)
        XCTAssertEqual(events.first?.position.y ?? 0, 50 + 40, accuracy: 1e-9)
        XCTAssertEqual(events.last?.position.y ?? 0, 50 + 360, accuracy: 1e-9)
    }

    func testEmptyAndNonFiniteDrawingsAreRejected() {
        XCTAssertThrowsError(try ReplayScript.pointerEvents(for: Drawing(strokes: []), into: canvas)) {
            XCTAssertEqual($0 as? ReplayError, .nothingToReplay)
        }
        let bad = Drawing(strokes: [Stroke(points: [StrokePoint(x: 1, y: 1), StrokePoint(x: .nan, y: 2)])])
        XCTAssertThrowsError(try ReplayScript.pointerEvents(for: bad, into: canvas)) {
            XCTAssertEqual($0 as? ReplayError, .badCoordinates(stroke: 0, point: 1))
        }
    }
}
