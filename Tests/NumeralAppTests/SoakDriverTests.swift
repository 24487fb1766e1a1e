import XCTest
import NumeralUI
import NumeralVision
@testable import NumeralApp
@testable import NumeralSession

/// The memory soak drives the session like the window loop does: pointer events in, the
/// debounce tick, background recognition, the log reply, and a frame drawn before each round counts.
final class SoakDriverTests: XCTestCase {
    private let twoStrokes = Drawing(strokes: [
        Stroke(points: [StrokePoint(x: 10, y: 10), StrokePoint(x: 60, y: 15), StrokePoint(x: 30, y: 80)]),
        Stroke(points: [StrokePoint(x: 20, y: 50), StrokePoint(x: 55, y: 50)]),
    ], width: 100, height: 100)

    private func makeSession(recognizer: FakeRecognizer?, logger: FakeLogger) -> AppSession {
        AppSession(state: AppState(), services: AppServices(recognizer: recognizer, logger: logger), inbox: Inbox())
    }

    /// One window-loop iteration: the due debounce tick, background replies, then the soak step.
    private func iterate(_ soak: SoakDriver, _ session: AppSession, now: Double, frameIsCurrent: Bool = true) throws -> SoakDriver.Progress {
        if let due = session.state.recognitionDueAt, now >= due { session.send(.tick(time: now)) }
        session.waitForBackgroundWork()
        session.drainInbox()
        return try soak.step(session: session, now: now, frameIsCurrent: frameIsCurrent)
    }

    func testEachRoundDrawsThroughThePointerPathAndWaitsForTheLoggedPrediction() throws {
        let recognizer = FakeRecognizer(digit: 3)
        let logger = FakeLogger()
        let session = makeSession(recognizer: recognizer, logger: logger)
        var memory = 50 * 1_048_576
        var lines: [String] = []
        let soak = SoakDriver(drawing: twoStrokes, rounds: 5, reportEvery: 2,
                              residentBytes: { memory += 1_048_576; return memory }, report: { lines.append($0) })
        var now = 100.0
        var progress = SoakDriver.Progress.running
        for _ in 0..<200 where progress == .running {
            progress = try iterate(soak, session, now: now)
            now += 0.005
        }
        XCTAssertEqual(progress, .finished)
        XCTAssertEqual(soak.completed, 5)
        XCTAssertEqual(logger.predictions.count, 5, "every round's prediction is logged, none twice")
        XCTAssertEqual(recognizer.drawings.count, 5)
        XCTAssertTrue(recognizer.drawings.allSatisfy { $0.strokes.count == 2 }, "Clear empties the canvas between rounds")
        XCTAssertEqual(soak.samples.map(\.predictions), [0, 2, 4, 5])
        XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))
        XCTAssertEqual(lines[0], "soak: started, RSS 51.0 MB")
        XCTAssertTrue(lines[1].hasPrefix("soak: 2/5 predictions, RSS 52.0 MB"), lines[1])
        XCTAssertTrue(lines[4].contains("finished 5 predictions") && lines[4].contains("(+2.0 MB)"), lines[4])
    }

    func testARoundOnlyCountsOnceItsPredictionWasDrawn() throws {
        let logger = FakeLogger()
        let session = makeSession(recognizer: FakeRecognizer(digit: 1), logger: logger)
        let soak = SoakDriver(drawing: twoStrokes, rounds: 1, residentBytes: { 1 }, report: { _ in })
        var now = 5.0
        for _ in 0..<20 {
            XCTAssertEqual(try iterate(soak, session, now: now, frameIsCurrent: false), .running)
            now += 0.005
        }
        XCTAssertEqual(logger.predictions.count, 1, "the prediction arrived and was logged")
        XCTAssertEqual(soak.completed, 0, "but it was never on screen")
        XCTAssertEqual(try iterate(soak, session, now: now), .finished)
    }

    func testAFailingRecognitionStopsTheSoakWithTheReason() throws {
        let session = makeSession(recognizer: nil, logger: FakeLogger())
        let soak = SoakDriver(drawing: twoStrokes, rounds: 3, residentBytes: { nil }, report: { _ in })
        var now = 1.0
        XCTAssertThrowsError(try {
            for _ in 0..<20 { _ = try iterate(soak, session, now: now); now += 0.005 }
        }()) { error in
            XCTAssertTrue("\(error)".contains("no model is loaded"), "\(error)")
        }
    }

    func testARoundThatNeverFinishesTimesOut() throws {
        let session = makeSession(recognizer: FakeRecognizer(digit: 1), logger: FakeLogger())
        let soak = SoakDriver(drawing: twoStrokes, rounds: 1, roundTimeout: 2, residentBytes: { nil }, report: { _ in })
        XCTAssertEqual(try soak.step(session: session, now: 0, frameIsCurrent: true), .running)
        // No tick is ever sent, so the debounced prediction never starts.
        XCTAssertEqual(try soak.step(session: session, now: 1, frameIsCurrent: true), .running)
        XCTAssertThrowsError(try soak.step(session: session, now: 2.5, frameIsCurrent: true)) { error in
            XCTAssertTrue("\(error)".contains("did not arrive within 2 s"), "\(error)")
        }
    }
}
