import XCTest
import NumeralUI
import NumeralVision
@testable import NumeralApp

/// The ink texture is uploaded in pieces (new segments, the region an undo or clear wiped) and
/// only its inked part is drawn; these check that no piece is missed.
final class InkLayerTests: XCTestCase {
    private let ink = RGBA(20, 30, 200)
    private let paper = RGBA(255, 255, 255)

    private func state(_ strokes: [[(Double, Double)]]) -> AppState {
        var s = AppState()
        s.drawingSize = s.layout.canvas.size // one drawing unit per point
        s.strokes = strokes.map { Stroke(points: $0.map { StrokePoint(x: $0.0, y: $0.1) }) }
        return s
    }

    /// The whole texture (not just the inked part) drawn on paper, so stale ink anywhere shows.
    private func wholeTexture(_ layer: InkLayer, _ s: AppState, color: RGBA, _ offscreen: Renderer) throws -> Frame {
        offscreen.setColor(paper.withAlpha(255))
        offscreen.clear()
        if let l = try layer.texture(for: s, pixelScale: 1, renderer: offscreen, color: color) {
            offscreen.copy(l.texture, to: PixelRect(x: 0, y: 0, w: Int32(l.texture.width), h: Int32(l.texture.height)))
        }
        let frame = try offscreen.readRGBA()
        return Frame(width: frame.width, height: frame.height, rgba: frame.rgba, scale: 1)
    }

    func testOnlyTheInkedPartIsReportedForDrawing() throws {
        let offscreen = try Renderer(offscreenWidth: 800, height: 700)
        let layer = InkLayer()
        XCTAssertNil(try layer.texture(for: state([]), pixelScale: 1, renderer: offscreen, color: ink),
                     "an empty canvas draws nothing")
        let s = state([[(100, 100), (200, 100)]])
        let inked = try XCTUnwrap(try layer.texture(for: s, pixelScale: 1, renderer: offscreen, color: ink)).inked
        let r = s.settings.brushRadius
        XCTAssertLessThanOrEqual(inked.x, Int32(100 - r))
        XCTAssertGreaterThanOrEqual(inked.x, Int32(100 - r - 3))
        XCTAssertGreaterThanOrEqual(inked.x + inked.w, Int32(200 + r))
        XCTAssertLessThanOrEqual(inked.x + inked.w, Int32(200 + r + 3))
        XCTAssertLessThanOrEqual(inked.h, Int32(2 * r + 6), "a horizontal stroke is a thin band, not the canvas")
    }

    func testUndoWipesTheUndoneStrokeFromTheTexture() throws {
        let offscreen = try Renderer(offscreenWidth: 800, height: 700)
        let layer = InkLayer()
        var s = state([[(60, 60), (120, 60)], [(300, 300), (360, 300)]])
        var frame = try wholeTexture(layer, s, color: ink, offscreen)
        XCTAssertLessThan(colorDistance(frame.pixel(x: 90, y: 60), ink), 10)
        XCTAssertLessThan(colorDistance(frame.pixel(x: 330, y: 300), ink), 10)

        s.strokes.removeLast()
        s.strokeEpoch += 1
        frame = try wholeTexture(layer, s, color: ink, offscreen)
        XCTAssertLessThan(colorDistance(frame.pixel(x: 90, y: 60), ink), 10, "the kept stroke stays")
        XCTAssertEqual(frame.pixel(x: 330, y: 300), paper, "no stale ink where the undone stroke was")

        s.strokes.append(Stroke(points: [StrokePoint(x: 500, y: 80), StrokePoint(x: 520, y: 200)]))
        frame = try wholeTexture(layer, s, color: ink, offscreen)
        XCTAssertLessThan(colorDistance(frame.pixel(x: 510, y: 140), ink), 10, "a new stroke elsewhere is uploaded")
        XCTAssertEqual(frame.pixel(x: 330, y: 300), paper)
    }

    func testAnotherInkColorRecolorsEverything() throws {
        let offscreen = try Renderer(offscreenWidth: 800, height: 700)
        let layer = InkLayer()
        let s = state([[(60, 60), (400, 300)]])
        _ = try wholeTexture(layer, s, color: ink, offscreen)
        let red = RGBA(220, 10, 10)
        let frame = try wholeTexture(layer, s, color: red, offscreen)
        XCTAssertLessThan(colorDistance(frame.pixel(x: 60, y: 60), red), 10)
        XCTAssertLessThan(colorDistance(frame.pixel(x: 230, y: 180), red), 10)
        // Edges stay anti-aliased: some pixels next to the stroke are between ink and paper.
        let column = (0..<700).map { frame.pixel(x: 230, y: $0) }
        XCTAssertTrue(column.contains { colorDistance($0, red) > 30 && colorDistance($0, paper) > 30 })
    }
}
