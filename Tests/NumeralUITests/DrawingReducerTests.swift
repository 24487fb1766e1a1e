import XCTest
@testable import NumeralUI

final class DrawingReducerTests: XCTestCase {
    func testAStrokeIsRecordedInDrawingCoordinatesAndBumpsTheRevision() {
        var s = AppState()
        s.drawStroke(from: (0.25, 0.5), to: (0.75, 0.5))
        XCTAssertEqual(s.strokes.count, 1)
        XCTAssertNil(s.currentStroke)
        XCTAssertEqual(s.revision, 1)
        let pts = s.strokes[0].points
        XCTAssertGreaterThanOrEqual(pts.count, 10)
        XCTAssertEqual(pts.first!.x, s.drawingSize.width * 0.25, accuracy: 1e-6)
        XCTAssertEqual(pts.last!.x, s.drawingSize.width * 0.75, accuracy: 1e-6)
        XCTAssertEqual(pts.first!.time, 0)
        XCTAssertNil(pts.first!.pressure, "a mouse reports no pressure")
    }

    func testPointerDownOutsideTheCanvasDoesNotDraw() {
        var s = AppState()
        _ = reduce(&s, Fixtures.pointer(.down, UIPoint(x: 2, y: 2), time: 0))
        _ = reduce(&s, Fixtures.pointer(.up, UIPoint(x: 2, y: 2), time: 0.1))
        XCTAssertTrue(s.strokes.isEmpty)
        XCTAssertEqual(s.revision, 0)
    }

    func testDraggingPastTheCanvasEdgeClampsInsteadOfLeaving() {
        var s = AppState()
        s.drawStroke(from: (0.5, 0.5), to: (3.0, -2.0))
        let last = s.strokes[0].points.last!
        XCTAssertEqual(last.x, s.drawingSize.width, accuracy: 1e-9)
        XCTAssertEqual(last.y, 0, accuracy: 1e-9)
    }

    func testNonFiniteCoordinatesAreDropped() {
        var s = AppState()
        let c = s.layout.canvas.center
        _ = reduce(&s, Fixtures.pointer(.down, c, time: 0))
        _ = reduce(&s, Fixtures.pointer(.move, UIPoint(x: .nan, y: 3), time: 0.01))
        _ = reduce(&s, Fixtures.pointer(.move, UIPoint(x: .infinity, y: 3), time: 0.02))
        _ = reduce(&s, Fixtures.pointer(.up, c, time: 0.03))
        XCTAssertTrue(s.strokes[0].points.allSatisfy { $0.x.isFinite && $0.y.isFinite })
    }

    func testTouchPressureIsKeptAndClamped() {
        var s = AppState()
        let c = s.layout.canvas.center
        _ = reduce(&s, Fixtures.pointer(.down, c, source: .touch(finger: 1), pressure: 0.4, time: 0))
        _ = reduce(&s, Fixtures.pointer(.move, UIPoint(x: c.x + 20, y: c.y), source: .touch(finger: 1), pressure: 7, time: 0.01))
        _ = reduce(&s, Fixtures.pointer(.up, UIPoint(x: c.x + 40, y: c.y), source: .touch(finger: 1), pressure: .nan, time: 0.02))
        XCTAssertEqual(s.strokes[0].points.map { $0.pressure }, [0.4, 1, nil])
    }

    func testOnlyTheFirstFingerDrawsAndOtherFingersAreIgnored() {
        var s = AppState()
        let c = s.layout.canvas
        let first = PointerSource.touch(finger: 11), second = PointerSource.touch(finger: 22)
        _ = reduce(&s, Fixtures.pointer(.down, UIPoint(x: c.x + 50, y: c.y + 50), source: first, time: 0))
        _ = reduce(&s, Fixtures.pointer(.down, UIPoint(x: c.x + 300, y: c.y + 300), source: second, time: 0.01))
        _ = reduce(&s, Fixtures.pointer(.move, UIPoint(x: c.x + 310, y: c.y + 310), source: second, time: 0.02))
        _ = reduce(&s, Fixtures.pointer(.move, UIPoint(x: c.x + 80, y: c.y + 60), source: first, time: 0.03))
        _ = reduce(&s, Fixtures.pointer(.up, UIPoint(x: c.x + 320, y: c.y + 320), source: second, time: 0.04))
        XCTAssertNotNil(s.currentStroke, "the second finger lifting must not end the first finger's stroke")
        _ = reduce(&s, Fixtures.pointer(.move, UIPoint(x: c.x + 90, y: c.y + 70), source: .mouse, time: 0.05))
        _ = reduce(&s, Fixtures.pointer(.up, UIPoint(x: c.x + 100, y: c.y + 80), source: first, time: 0.06))
        XCTAssertEqual(s.strokes.count, 1)
        let maxX = s.strokes[0].points.map(\.x).max()!
        XCTAssertLessThan(maxX, 120, "no point from the second finger or the mouse may join the stroke")
        XCTAssertEqual(s.strokes[0].points.count, 3)
    }

    func testUndoRemovesTheLastStrokeAndSchedulesARePrediction() {
        var s = AppState()
        s.drawStroke(startTime: 0)
        s.drawStroke(from: (0.1, 0.1), to: (0.2, 0.9), startTime: 1)
        let epoch = s.strokeEpoch
        _ = reduce(&s, Fixtures.key(.letter("z"), ctrl: true, time: 3))
        XCTAssertEqual(s.strokes.count, 1)
        XCTAssertEqual(s.strokeEpoch, epoch + 1)
        XCTAssertEqual(s.revision, 3)
        XCTAssertEqual(s.recognitionDueAt!, 3 + s.settings.debounce, accuracy: 1e-9)
        _ = s.click(.undo, time: 4)
        XCTAssertTrue(s.strokes.isEmpty)
        XCTAssertNil(s.recognitionDueAt, "nothing left to predict")
        XCTAssertTrue(s.click(.undo, time: 5).isEmpty)
        XCTAssertEqual(s.revision, 4, "undo on an empty canvas changes nothing")
    }

    func testPlainZDoesNotUndo() {
        var s = AppState()
        s.drawStroke()
        _ = reduce(&s, Fixtures.key(.letter("z")))
        XCTAssertEqual(s.strokes.count, 1)
    }

    func testClearByButtonBackspaceOrC() {
        for clearing in [AppEvent?.none, Fixtures.key(.backspace), Fixtures.key(.letter("c"))] {
            var s = AppState()
            s.drawStroke()
            _ = reduce(&s, .recognitionFinished(revision: s.revision, outcome: .success(Fixtures.display("4"))))
            if let clearing { _ = reduce(&s, clearing) } else { _ = s.click(.clear) }
            XCTAssertTrue(s.strokes.isEmpty)
            XCTAssertNil(s.prediction)
            XCTAssertNil(s.recognitionDueAt)
            XCTAssertEqual(s.revision, 2)
        }
    }

    func testButtonFiresOnlyWhenReleasedOverIt() {
        var s = AppState()
        s.drawStroke()
        let clear = s.layout.rect(of: .clear)!
        _ = reduce(&s, Fixtures.pointer(.down, clear.center, time: 1))
        XCTAssertEqual(s.pressedButton, .clear)
        _ = reduce(&s, Fixtures.pointer(.up, s.layout.canvas.center, time: 1.1))
        XCTAssertEqual(s.strokes.count, 1, "released elsewhere: cancelled")
        XCTAssertNil(s.pressedButton)
        XCTAssertTrue(s.strokes.count == 1 && s.currentStroke == nil, "dragging off a button must not draw")
    }

    func testHoverFollowsTheMouseAndLeavingClearsIt() {
        var s = AppState()
        _ = reduce(&s, Fixtures.pointer(.move, s.layout.rect(of: .predict)!.center, time: 0))
        XCTAssertEqual(s.hoveredButton, .predict)
        _ = reduce(&s, .pointerLeft)
        XCTAssertNil(s.hoveredButton)
        _ = reduce(&s, Fixtures.pointer(.move, s.layout.rect(of: .undo)!.center, source: .touch(finger: 3), time: 0))
        XCTAssertNil(s.hoveredButton, "touch has no hover")
    }

    func testResizeKeepsTheDrawingSpaceSoStrokesScaleWithTheCanvas() {
        var s = AppState(width: 1120, height: 740)
        s.drawStroke()
        let size = s.drawingSize
        _ = reduce(&s, .resized(width: 1600, height: 1000))
        XCTAssertEqual(s.drawingSize, size)
        XCTAssertGreaterThan(s.canvasMapping.scale, 1)
        _ = reduce(&s, Fixtures.key(.letter("c")))
        XCTAssertEqual(s.drawingSize, s.layout.canvas.size, "a fresh drawing takes the new canvas size")
    }
}
