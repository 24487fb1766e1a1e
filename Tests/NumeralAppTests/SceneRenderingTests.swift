import XCTest
import NumeralUI
import NumeralVision
@testable import NumeralApp

final class SceneRenderingTests: XCTestCase {
    func testAStrokeIsInkedWhereItWasDrawnAndNowhereElse() throws {
        let harness = try RenderHarness()
        var state = AppState()
        state.draw([(0.2, 0.5), (0.5, 0.5), (0.8, 0.5)])
        let frame = try harness.render(state, saveAs: "stroke.png")
        let c = state.layout.canvas
        let ink = state.theme.palette.ink, paper = state.theme.palette.paper
        for fx in stride(from: 0.22, through: 0.78, by: 0.04) {
            let onStroke = frame.pixel(at: UIPoint(x: c.x + c.width * fx, y: c.y + c.height * 0.5))
            XCTAssertLessThan(colorDistance(onStroke, ink), 30, "ink expected at \(fx)")
        }
        let offStroke = frame.pixel(at: UIPoint(x: c.x + c.width * 0.5, y: c.y + c.height * 0.2))
        XCTAssertEqual(colorDistance(offStroke, paper), 0)
        // Edges are anti-aliased: along a slanted stroke's edge, pixels lie strictly between.
        var slanted = AppState()
        slanted.draw([(0.2, 0.2), (0.7, 0.6)])
        let slantedFrame = try harness.render(slanted)
        let row = Int((c.y + c.height * 0.4) * frame.scale)
        let across = (Int(c.x)..<Int(c.maxX)).map { slantedFrame.pixel(x: $0, y: row) }
        let partial = across.filter { colorDistance($0, ink) > 30 && colorDistance($0, paper) > 30 }
        XCTAssertGreaterThanOrEqual(partial.count, 2, "expected partially covered edge pixels")
        XCTAssertLessThanOrEqual(partial.count, 6, "but only at the edges")
    }

    func testIncrementalInkMatchesAFullRedraw() throws {
        let live = try RenderHarness()
        var state = AppState()
        let c = state.layout.canvas
        _ = reduce(&state, .pointer(PointerEvent(.down, .mouse, at: UIPoint(x: c.x + 100, y: c.y + 100), time: 0)))
        _ = try live.render(state)
        for i in 1...12 {
            let p = UIPoint(x: c.x + 100 + Double(i) * 17, y: c.y + 100 + Double(i * i))
            _ = reduce(&state, .pointer(PointerEvent(.move, .mouse, at: p, time: Double(i) * 0.01)))
            _ = try live.render(state)  // the live layer only stamps the new segment each frame
        }
        _ = reduce(&state, .pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.x + 320, y: c.y + 250), time: 0.2)))
        let incremental = try live.render(state)
        let fresh = try RenderHarness().render(state)
        XCTAssertEqual(incremental.rgba, fresh.rgba)
    }

    func testUndoErasesTheLastStroke() throws {
        let harness = try RenderHarness()
        var state = AppState()
        state.draw([(0.2, 0.3), (0.8, 0.3)])
        state.draw([(0.2, 0.7), (0.8, 0.7)], time: 1)
        _ = try harness.render(state)
        _ = reduce(&state, .key(KeyPress(.letter("z"), ctrl: true, time: 2, stamp: .init(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))))
        let frame = try harness.render(state)
        let c = state.layout.canvas
        let palette = state.theme.palette
        XCTAssertLessThan(colorDistance(frame.pixel(at: UIPoint(x: c.center.x, y: c.y + c.height * 0.3)), palette.ink), 30)
        XCTAssertEqual(frame.pixel(at: UIPoint(x: c.center.x, y: c.y + c.height * 0.7)), palette.paper)
    }

    func testHiDPIRendersAtTwiceThePixels() throws {
        let harness = try RenderHarness(scale: 2)
        var state = AppState()
        state.draw([(0.2, 0.5), (0.8, 0.5)])
        let frame = try harness.render(state, saveAs: "hidpi.png")
        XCTAssertEqual(frame.width, Int(Layout.defaultSize.width * 2))
        let c = state.layout.canvas
        XCTAssertLessThan(colorDistance(frame.pixel(at: UIPoint(x: c.center.x, y: c.center.y)), state.theme.palette.ink), 30)
        XCTAssertEqual(frame.pixel(at: UIPoint(x: c.center.x, y: c.y + 40)), state.theme.palette.paper)
    }

    func testInsetMagnifiesTheModelInputPixelForPixel() throws {
        let harness = try RenderHarness()
        var input = GrayImage(width: 28, height: 28)
        for y in 0..<28 { for x in 0..<28 { input[x, y] = Float((x * 9 + y * 5) % 28) / 27 } }
        var state = AppState()
        state.draw([(0.3, 0.3), (0.6, 0.6)])
        state.show(Recognition(digits: [DigitPrediction(probabilities: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0], input: input)],
                                      latencyMs: 0.2, modelID: "t"))
        let frame = try harness.render(state, saveAs: "inset.png")
        let g = SceneRenderer.insetGeometry(rect: state.layout.inset, scale: frame.scale)
        XCTAssertGreaterThanOrEqual(g.cell, 4)
        for y in 0..<28 {
            for x in 0..<28 {
                let px = Int(g.x) + x * Int(g.cell) + Int(g.cell) / 2 + 1
                let py = Int(g.y) + y * Int(g.cell) + Int(g.cell) / 2 + 1
                let shown = frame.pixel(x: px, y: py)
                let expected = Int((input[x, y] * 255).rounded())
                XCTAssertLessThanOrEqual(abs(Int(shown.r) - expected), 1, "model pixel (\(x),\(y))")
                XCTAssertEqual(shown.r, shown.g)
            }
        }
    }

    func testChartHighlightsTheWinnerWithBarsAsLongAsTheirProbabilities() throws {
        let harness = try RenderHarness()
        let probabilities: [Float] = [0.02, 0.05, 0.01, 0.12, 0.0, 0.03, 0.01, 0.68, 0.05, 0.03]
        var state = AppState()
        state.draw([(0.3, 0.3), (0.6, 0.6)])
        state.show(Recognition(digits: [DigitPrediction(probabilities: probabilities, input: GrayImage(width: 28, height: 28))],
                                      latencyMs: 0.2, modelID: "t"))
        let frame = try harness.render(state, saveAs: "chart.png")
        let palette = state.theme.palette
        for row in state.layout.chartRows {
            let y = Int(row.track.center.y * frame.scale)
            let x0 = Int((row.track.x * frame.scale).rounded())
            let x1 = Int((row.track.maxX * frame.scale).rounded())
            let winnerPixels = (x0..<x1).filter { colorDistance(frame.pixel(x: $0, y: y), palette.winnerBar) < 40 }.count
            let barPixels = (x0..<x1).filter { colorDistance(frame.pixel(x: $0, y: y), palette.bar) < 40 }.count
            let expected = Double(probabilities[row.digit]) * row.track.width * frame.scale
            if row.digit == 7 {
                XCTAssertEqual(Double(winnerPixels), expected, accuracy: 2, "winner bar length")
                XCTAssertEqual(barPixels, 0)
            } else {
                XCTAssertEqual(winnerPixels, 0, "only the winner is highlighted (digit \(row.digit))")
                XCTAssertEqual(Double(barPixels), expected, accuracy: 2, "bar length for \(row.digit)")
            }
        }
    }

    func testTopThreeShowsTheWinningDigitProminently() throws {
        let harness = try RenderHarness()
        func accentPixels(winner: Int) throws -> (Int, [UInt8]) {
            var p = [Float](repeating: 0.01, count: 10)
            p[winner] = 0.91
            var state = AppState()
            state.draw([(0.3, 0.3), (0.6, 0.6)])
            state.show(Recognition(digits: [DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28))],
                                          latencyMs: 0.2, modelID: "t"))
            let frame = try harness.render(state, saveAs: "top3-\(winner).png")
            let area = state.layout.topThree
            var count = 0
            var region: [UInt8] = []
            for y in Int(area.y * frame.scale)..<Int(area.maxY * frame.scale) {
                for x in Int(area.x * frame.scale)..<Int((area.x + 70) * frame.scale) {
                    let px = frame.pixel(x: x, y: y)
                    region.append(px.r)
                    if colorDistance(px, state.theme.palette.accent) < 60 { count += 1 }
                }
            }
            return (count, region)
        }
        let (seven, sevenRegion) = try accentPixels(winner: 7)
        let (one, oneRegion) = try accentPixels(winner: 1)
        XCTAssertGreaterThan(seven, 150, "the big winning digit is drawn in the accent color")
        XCTAssertGreaterThan(one, 100)
        XCTAssertNotEqual(sevenRegion, oneRegion, "different winners draw different glyphs")
        let empty = try harness.render(AppState())
        let area = AppState().layout.topThree
        let accentWhenEmpty = (Int(area.y)..<Int(area.maxY)).flatMap { y in (Int(area.x)..<Int(area.x + 70)).map { (x: $0, y: y) } }
            .filter { colorDistance(empty.pixel(x: $0.x, y: $0.y), Palette.light.accent) < 60 }.count
        XCTAssertEqual(accentWhenEmpty, 0)
    }

    func testDarkThemeRepaintsEverythingWithItsPalette() throws {
        let harness = try RenderHarness()
        var state = AppState(theme: .dark)
        state.draw([(0.2, 0.5), (0.8, 0.5)])
        let frame = try harness.render(state, saveAs: "dark.png")
        XCTAssertEqual(frame.pixel(x: 5, y: 70), Palette.dark.background)
        let c = state.layout.canvas
        XCTAssertLessThan(colorDistance(frame.pixel(at: c.center), Palette.dark.ink), 30)
        XCTAssertEqual(frame.pixel(at: UIPoint(x: c.center.x, y: c.y + 40)), Palette.dark.paper)
    }

    func testMultiDigitStripAndDroppedPictureRender() throws {
        let harness = try RenderHarness()
        var state = AppState()
        state.draw([(0.1, 0.3), (0.1, 0.7)])
        let digits = [1, 2, 3].map { d -> DigitPrediction in
            var p = [Float](repeating: 0, count: 10); p[d] = 1
            return DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28, fill: 1))
        }
        state.show(Recognition(digits: digits, latencyMs: 1, modelID: "t"))
        let frame = try harness.render(state, saveAs: "strip.png")
        for cell in state.layout.stripCells(count: 3) {
            // White model input in each small inset.
            XCTAssertEqual(frame.pixel(at: UIPoint(x: cell.center.x, y: cell.y + 8)), RGBA(255, 255, 255))
        }
        _ = reduce(&state, .fileRecognitionFinished(path: "/p/seven.png", revision: state.revision,
                                                    outcome: .success(digits[0].asDisplay, picture: GrayImage(width: 10, height: 10, fill: 1))))
        let pictureFrame = try harness.render(state, saveAs: "picture.png")
        XCTAssertLessThan(colorDistance(pictureFrame.pixel(at: state.layout.canvas.center), state.theme.palette.ink), 30)
    }
}

private extension DigitPrediction {
    var asDisplay: Recognition { Recognition(digits: [self], latencyMs: 1, modelID: "t") }
}

final class ChromeCacheTests: XCTestCase {
    func testTheCachedChromeIsRedrawnWhenAnythingButTheInkChanges() throws {
        let harness = try RenderHarness()
        var state = AppState()
        state.draw([(0.2, 0.5), (0.8, 0.5)])
        XCTAssertEqual(try harness.render(state).pixel(x: 5, y: 70), Palette.light.background)
        _ = reduce(&state, .key(KeyPress(.letter("t"), time: 1, stamp: .init(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))))
        XCTAssertEqual(try harness.render(state).pixel(x: 5, y: 70), Palette.dark.background)

        // Hovering a button changes only chrome; the button's fill must follow.
        let undo = state.layout.rect(of: .undo)!
        let probe = UIPoint(x: undo.x + 6, y: undo.center.y)
        let before = try harness.render(state).pixel(at: probe)
        _ = reduce(&state, .pointer(PointerEvent(.move, .mouse, at: undo.center, time: 2)))
        let hovered = try harness.render(state).pixel(at: probe)
        XCTAssertEqual(before, Palette.dark.button)
        XCTAssertEqual(hovered, Palette.dark.buttonHover)

        // Clearing brings back the canvas hint, drawn in the chrome.
        _ = reduce(&state, .key(KeyPress(.letter("c"), time: 3, stamp: .init(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))))
        let cleared = try harness.render(state)
        let c = state.layout.canvas
        let hintRow = Int((c.center.y - 11) * cleared.scale)
        let hintPixels = (Int(c.x)..<Int(c.maxX)).filter { colorDistance(cleared.pixel(x: $0, y: hintRow), Palette.dark.paper) > 20 }
        XCTAssertGreaterThan(hintPixels.count, 20, "hint text drawn")
        XCTAssertEqual(cleared.pixel(at: UIPoint(x: c.center.x, y: c.y + c.height * 0.5 + 40)), Palette.dark.paper, "ink gone")
    }
}

final class StatusBarTests: XCTestCase {
    func testLongMessagesAreShortenedInsteadOfRunningOffTheWindow() throws {
        let harness = try RenderHarness()
        var state = AppState()
        state.message = StatusMessage("Could not read " + String(repeating: "very-long-file-name-", count: 40) + ".png: not a PNG file", .error)
        let frame = try harness.render(state, saveAs: "long-message.png")
        let bar = state.layout.statusBar
        let y = Int(bar.center.y)
        let margin = (Int(bar.maxX) - 15)..<Int(bar.maxX)
        for x in margin { XCTAssertEqual(frame.pixel(x: x, y: y), Palette.light.header, "text ran into the margin at x=\(x)") }
        let inked = (Int(bar.x)..<Int(bar.maxX)).filter { colorDistance(frame.pixel(x: $0, y: y), Palette.light.error) < 120 }
        XCTAssertGreaterThan(inked.count, 100, "the message itself is drawn")
    }
}
