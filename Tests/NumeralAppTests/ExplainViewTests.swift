import Foundation
import XCTest
import NumeralRecognition
import NumeralUI
import NumeralVision
@testable import NumeralApp
@testable import NumeralSession

/// Explains every input as a "1" whose left column of ink is evidence for and right against;
/// records whether it ran on the main thread.
final class FakeExplainer: DigitExplaining, @unchecked Sendable {
    private let lock = NSLock()
    private var _onMainThread: [Bool] = []
    var onMainThread: [Bool] { lock.lock(); defer { lock.unlock() }; return _onMainThread }

    func explain(_ inputs: [GrayImage]) throws -> [ExplanationDisplay] {
        lock.lock(); _onMainThread.append(Thread.isMainThread); lock.unlock()
        return inputs.map { _ in Self.sample }
    }

    static let sample: ExplanationDisplay = {
        var input = GrayImage(width: 28, height: 28)
        var map = [Float](repeating: 0, count: 784)
        for y in 4..<24 {
            for x in 12..<16 { input[x, y] = 1 }
            for x in 12..<14 { map[y * 28 + x] = 1 }
            for x in 14..<16 { map[y * 28 + x] = -1 }
        }
        let tiles = (0..<64).map { GrayImage(width: 28, height: 28, fill: $0 % 2 == 0 ? 1 : 0) }
        return ExplanationDisplay(winner: 1, runnerUp: 7, input: input, winnerMap: map, runnerUpMap: map.map { -$0 }, tiles: tiles)
    }()
}

final class ExplainViewTests: XCTestCase {
    private static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testExplanationsAreComputedOffTheUIThreadAndShownForTheCurrentPrediction() {
        let explainer = FakeExplainer()
        var services = AppServices(recognizer: FakeRecognizer(digit: 1), logger: FakeLogger())
        services.explainer = explainer
        var initial = AppState()
        initial.explainVisible = true
        let session = AppSession(state: initial, services: services, inbox: Inbox())
        let c = session.state.layout.canvas
        session.send(.pointer(PointerEvent(.down, .mouse, at: UIPoint(x: c.center.x, y: c.y + 40), time: 0)))
        session.send(.pointer(PointerEvent(.move, .mouse, at: UIPoint(x: c.center.x, y: c.maxY - 40), time: 0.05)))
        session.send(.pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.center.x, y: c.maxY - 40), time: 0.1)))
        session.send(.tick(time: 1))
        for _ in 0..<4 {
            session.waitForBackgroundWork()
            session.drainInbox()
        }
        XCTAssertEqual(session.state.prediction?.display.number, "1")
        XCTAssertEqual(session.state.selectedExplanation, FakeExplainer.sample)
        XCTAssertEqual(explainer.onMainThread, [false], "explained once, on the recognition queue")
    }

    func testNoExplainerSaysWhy() {
        let session = AppSession(state: AppState(), services: AppServices(recognizer: FakeRecognizer(digit: 2)), inbox: Inbox())
        session.send(.explanationFinished(revision: 0, outcome: .failure("x")))   // nothing shown: no prediction
        XCTAssertNil(session.state.message)
        var state = AppState()
        state.explainVisible = true
        let s2 = AppSession(state: state, services: AppServices(recognizer: FakeRecognizer(digit: 2), recognizerProblem: "no model here"),
                            inbox: Inbox())
        s2.send(.recognitionFinished(revision: 0, outcome: .success(FakeRecognizer(digit: 2).display(input: GrayImage(width: 28, height: 28)))))
        s2.drainInbox()
        XCTAssertEqual(s2.state.message?.kind, .error)
        XCTAssertTrue(s2.state.message?.text.contains("no model here") ?? false, "\(String(describing: s2.state.message))")
    }

    func testTheRealServiceExplainsWithTheShippedModel() throws {
        let path = Self.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path
        let service = ModelRecognitionService(recognizer: Recognizer(model: try DigitModel.load(weightsPath: path)))
        // A "1": a vertical bar.
        var image = GrayImage(width: 28, height: 28)
        for y in 4..<24 { for x in 13..<16 { image[x, y] = 1 } }
        let display = try service.explain([image, image])
        XCTAssertEqual(display.count, 2)
        XCTAssertEqual(display[0].winner, 1)
        XCTAssertEqual(display[0].tiles.count, 64)
        XCTAssertEqual(display[0].winnerMap.count, 784)
        XCTAssertTrue(display[0].tiles.allSatisfy { $0.pixels.allSatisfy { (0...1).contains($0) } })
        XCTAssertGreaterThan(display[0].winnerMap.filter { $0 > 0 }.count, 10)
    }

    func testTheExplainViewDrawsBothMapsInTheirColorsAndTheTiles() throws {
        let harness = try RenderHarness()
        var state = AppState()
        state.explainVisible = true
        state.draw([(0.5, 0.2), (0.5, 0.8)])
        state.show(FakeRecognizer(digit: 1).display(input: FakeExplainer.sample.input))
        _ = reduce(&state, .explanationFinished(revision: state.prediction!.revision, outcome: .success([FakeExplainer.sample])))
        let frame = try harness.render(state, saveAs: "explain-view.png")
        let g = ExplainPanelLayout(area: state.layout.chart, tileCount: 64)
        func cell(_ rect: UIRect, _ x: Double, _ y: Double) -> RGBA {
            frame.pixel(at: UIPoint(x: rect.x + rect.width * (x + 0.5) / 28, y: rect.y + rect.height * (y + 0.5) / 28))
        }
        let p = state.theme.palette
        XCTAssertLessThan(colorDistance(cell(g.winnerMap, 12, 10), EvidenceColor.support), 30, "evidence for: red")
        XCTAssertLessThan(colorDistance(cell(g.winnerMap, 15, 10), EvidenceColor.against), 30, "evidence against: blue")
        XCTAssertLessThan(colorDistance(cell(g.runnerUpMap, 12, 10), EvidenceColor.against), 30, "the runner-up's map is its own")
        XCTAssertLessThan(colorDistance(cell(g.winnerMap, 3, 3), p.card), 10, "paper stays plain")
        // Tiles alternate white and black.
        XCTAssertGreaterThan(colorDistance(frame.pixel(at: g.tiles[0].center), frame.pixel(at: g.tiles[1].center)), 600)
        // The button shows the view is open (accent fill).
        let button = state.layout.explainButton
        XCTAssertLessThan(colorDistance(frame.pixel(at: UIPoint(x: button.x + 4, y: button.center.y)), p.accent), 30)
        // Closed, the probability chart is back where the maps were.
        _ = reduce(&state, .key(KeyPress(.letter("e"), time: 9, stamp: LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))))
        let closed = try harness.render(state)
        XCTAssertGreaterThan(colorDistance(closed.pixel(at: UIPoint(x: g.winnerMap.x + g.winnerMap.width * 12.5 / 28, y: g.winnerMap.y + g.winnerMap.height * 10.5 / 28)),
                                           EvidenceColor.support), 60)
    }
}
