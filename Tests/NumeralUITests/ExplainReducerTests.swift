import XCTest
import NumeralVision
@testable import NumeralUI

final class ExplainReducerTests: XCTestCase {
    private func explanation(_ digit: Int) -> ExplanationDisplay {
        ExplanationDisplay(winner: digit, runnerUp: (digit + 1) % 10, input: GrayImage(width: 28, height: 28, fill: 0.5),
                           winnerMap: [Float](repeating: 0.5, count: 784), runnerUpMap: [Float](repeating: -0.5, count: 784),
                           tiles: [GrayImage(width: 28, height: 28, fill: 0.2)])
    }

    /// A drawing recognized as `number`, shown as prediction serial 1.
    private func predicted(_ number: String, explain: Bool) -> (AppState, [AppEffect]) {
        var s = AppState()
        s.explainVisible = explain
        s.drawStroke()
        _ = reduce(&s, .tick(time: 1))
        let effects = reduce(&s, .recognitionFinished(revision: 1, outcome: .success(Fixtures.display(number))))
        return (s, effects)
    }

    func testHiddenViewAsksForNoExplanation() {
        let (s, effects) = predicted("4", explain: false)
        XCTAssertFalse(effects.contains { if case .explain = $0 { return true }; return false })
        XCTAssertNil(s.explanationInFlight)
    }

    func testOpenViewExplainsEveryNewPredictionDigitByDigit() {
        var (s, effects) = predicted("47", explain: true)
        let inputs = Fixtures.display("47").digits.map(\.input)
        XCTAssertEqual(effects.last, .explain(inputs, revision: 1))
        XCTAssertEqual(s.explanationInFlight, 1)
        XCTAssertNil(s.selectedExplanation)
        XCTAssertTrue(reduce(&s, .explanationFinished(revision: 1, outcome: .success([explanation(4), explanation(7)]))).isEmpty)
        XCTAssertNil(s.explanationInFlight)
        XCTAssertEqual(s.selectedExplanation?.winner, 4)
        s.selectedDigit = 1
        XCTAssertEqual(s.selectedExplanation?.winner, 7, "each digit of a number has its own")
    }

    func testEAndTheButtonToggleTheViewAndExplainWhatIsShown() {
        var (s, _) = predicted("3", explain: false)
        let effects = reduce(&s, Fixtures.key(.letter("e")))
        XCTAssertTrue(s.explainVisible)
        XCTAssertEqual(effects, [.explain(Fixtures.display("3").digits.map(\.input), revision: 1)])
        XCTAssertTrue(reduce(&s, Fixtures.key(.letter("e"))).isEmpty)
        XCTAssertFalse(s.explainVisible)
        // Reopened while the first request still runs: no second request.
        XCTAssertTrue(s.click(.explain).isEmpty)
        XCTAssertTrue(s.explainVisible)
        _ = reduce(&s, .explanationFinished(revision: 1, outcome: .success([explanation(3)])))
        _ = s.click(.explain)
        XCTAssertTrue(s.click(.explain).isEmpty, "already explained")
        XCTAssertEqual(s.selectedExplanation?.winner, 3)
    }

    func testAnExplanationOfAPredictionThatIsGoneIsDroppedAndTheCurrentOneRequested() {
        var (s, _) = predicted("1", explain: true)
        // The person drew on; a new prediction (serial 2) arrived before serial 1 was explained.
        s.drawStroke(startTime: 3)
        _ = reduce(&s, .tick(time: 4))
        let second = reduce(&s, .recognitionFinished(revision: 2, outcome: .success(Fixtures.display("7"))))
        XCTAssertFalse(second.contains { if case .explain = $0 { return true }; return false }, "serial 1 is still in flight")
        let effects = reduce(&s, .explanationFinished(revision: 1, outcome: .success([explanation(1)])))
        XCTAssertNil(s.selectedExplanation, "an explanation of the 1 must not be shown for the 7")
        XCTAssertEqual(effects, [.explain(Fixtures.display("7").digits.map(\.input), revision: 2)])
        _ = reduce(&s, .explanationFinished(revision: 2, outcome: .success([explanation(7)])))
        XCTAssertEqual(s.selectedExplanation?.winner, 7)
    }

    func testClearingForgetsTheExplanationAndFailuresAreShown() {
        var (s, _) = predicted("5", explain: true)
        _ = reduce(&s, .explanationFinished(revision: 1, outcome: .failure("model gone")))
        XCTAssertEqual(s.message?.kind, .error)
        XCTAssertTrue(s.message?.text.contains("model gone") ?? false)
        _ = reduce(&s, .explanationFinished(revision: 1, outcome: .success([explanation(5)])))
        XCTAssertNotNil(s.selectedExplanation)
        _ = s.click(.clear)
        XCTAssertNil(s.explanation)
        XCTAssertNil(s.selectedExplanation)
        XCTAssertTrue(s.explainVisible, "the view stays open for the next drawing")
    }

    func testKioskVisitorsMayOpenIt() {
        XCTAssertFalse(KioskGate.needsAdmin(Fixtures.key(.letter("e"))))
        let kiosk = Layout(width: 1280, height: 800, variant: .kiosk)
        XCTAssertNotNil(kiosk.rect(of: .explain))
        // One line for both maps, as visitors see them (it used to describe the winner's alone).
        XCTAssertEqual(explanation(4).howToRead, "Red: ink for 4 (left) or for 5 (right). Blue: ink against it.")
    }

    func testPanelPiecesStayInsideTheChartAreaWithoutOverlapping() {
        for (w, h, variant) in [(640.0, 480.0, LayoutVariant.standard), (640, 480, .kiosk), (800, 600, .standard),
                                (880, 600, .standard), (1120, 740, .standard), (1920, 1080, .kiosk), (1280, 800, .kiosk)] {
            let layout = Layout(width: w, height: h, variant: variant)
            XCTAssertLessThanOrEqual(layout.explainButton.maxY, layout.chart.minY, "the button sits in the title row")
            let g = ExplainPanelLayout(area: layout.chart, tileCount: 64)
            let pieces = [g.winnerMap, g.runnerUpMap, g.winnerCaption, g.runnerUpCaption, g.hint] + g.tiles
            for r in pieces {
                XCTAssertTrue(r.minX >= layout.chart.minX - 1e-9 && r.maxX <= layout.chart.maxX + 1e-9
                              && r.minY >= layout.chart.minY - 1e-9 && r.maxY <= layout.chart.maxY + 1e-9, "\(r) outside \(layout.chart) at \(w)x\(h)")
            }
            for i in pieces.indices {
                for j in pieces.indices where j > i {
                    let a = pieces[i], b = pieces[j]
                    XCTAssertFalse(a.minX < b.maxX - 1e-9 && b.minX < a.maxX - 1e-9 && a.minY < b.maxY - 1e-9 && b.minY < a.maxY - 1e-9,
                                   "\(a) overlaps \(b) at \(w)x\(h)")
                }
            }
            // At least a point per model pixel in the smallest window, three from the default size up.
            // In a small window the feature-map tiles give way to the maps; from the default size up both show.
            XCTAssertGreaterThanOrEqual(g.winnerMap.width, w >= 1120 ? 84 : 48, "maps at \(w)x\(h)")
            if g.tiles.isEmpty {
                XCTAssertLessThan(w, 1120, "tiles dropped at \(w)x\(h)")
            } else {
                XCTAssertGreaterThanOrEqual(g.tiles[0].width, 12)
                XCTAssertGreaterThanOrEqual(g.winnerMap.width, ExplainPanelLayout.smallestMap)
            }
        }
    }

    func testEvidenceColors() {
        let p = Palette.light
        let red = EvidenceColor.color(value: 1, ink: 1, palette: p)
        let blue = EvidenceColor.color(value: -1, ink: 1, palette: p)
        XCTAssertEqual(red, EvidenceColor.support)
        XCTAssertEqual(blue, EvidenceColor.against)
        XCTAssertEqual(EvidenceColor.color(value: 0, ink: 0, palette: p), p.card, "paper stays the card's color")
        // Display gain: the 90th percentile of the nonzero magnitudes reaches full color.
        var map = [Float](repeating: 0, count: 784)
        for i in 0..<100 { map[i] = Float(i + 1) / 100 }
        XCTAssertEqual(EvidenceColor.displayGain(map), 1 / 0.91, accuracy: 1e-5)
    }
}
