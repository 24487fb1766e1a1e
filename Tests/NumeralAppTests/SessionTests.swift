import XCTest
import CSDL2
import NumeralUI
import NumeralVision
@testable import NumeralApp
@testable import NumeralSession

final class SessionTests: XCTestCase {
    private let stamp = LocalTimestamp(year: 2026, month: 5, day: 4, hour: 3, minute: 2, second: 1)

    private func makeSession(recognizer: FakeRecognizer? = FakeRecognizer(digit: 7), logger: FakeLogger? = FakeLogger(),
                             writer: ScreenshotWriter? = nil) -> (AppSession, FakeHost) {
        let services = AppServices(recognizer: recognizer, logger: logger, screenshotWriter: writer)
        let session = AppSession(state: AppState(), services: services, inbox: Inbox())
        let host = FakeHost()
        session.host = host
        return (session, host)
    }

    /// Lets background work finish and applies its replies, as the window loop does each frame.
    private func settle(_ session: AppSession) {
        for _ in 0..<3 {
            session.waitForBackgroundWork()
            session.drainInbox()
        }
    }

    private func translate(_ event: inout SDL_Event, time: Double = 1) -> [AppEvent] {
        SDLEventTranslator(userEventType: 0x8001).translate(&event, windowSize: UISize(width: 1000, height: 800),
                                                            time: time, stamp: { self.stamp })
    }

    private func dropEvent(_ path: String) -> SDL_Event {
        var e = SDL_Event()
        e.type = SDL_DROPFILE.rawValue
        e.drop.file = SDL_strdup(path)
        return e
    }

    func testDroppedPNGGoesThroughTranslationToTheRecognizerAndOntoTheCanvas() throws {
        let recognizer = FakeRecognizer(digit: 4)
        let logger = FakeLogger()
        let (session, _) = makeSession(recognizer: recognizer, logger: logger)
        let path = NSTemporaryDirectory() + "numeral-drop-\(UUID().uuidString).png"
        try TestPNG.encode(width: 2, height: 2, rgba: [UInt8](repeating: 255, count: 16)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        var drop = dropEvent(path)
        let events = translate(&drop)
        XCTAssertEqual(events, [.fileDropped(path: path)])
        XCTAssertNil(drop.drop.file, "the translator frees SDL's string")
        for e in events { session.send(e) }
        settle(session)

        XCTAssertEqual(recognizer.paths, [path])
        XCTAssertEqual(session.state.picture?.width, 40)
        XCTAssertEqual(session.state.prediction?.inputType, .upload)
        XCTAssertEqual(session.state.prediction?.log, .logged(id: 101))
        XCTAssertEqual(logger.predictions.map { $0.1 }, ["upload"])
    }

    func testABadDroppedFileShowsAMessageAndKeepsRunning() throws {
        let recognizer = FakeRecognizer(digit: 4)
        let (session, _) = makeSession(recognizer: recognizer)
        let path = NSTemporaryDirectory() + "numeral-bad-\(UUID().uuidString).png"
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var drop = dropEvent(path)
        for e in translate(&drop) { session.send(e) }
        settle(session)
        XCTAssertEqual(recognizer.paths, [path])
        XCTAssertNil(session.state.picture)
        XCTAssertEqual(session.state.message?.kind, .error)
        XCTAssertTrue(session.state.message?.text.contains("not a PNG file") ?? false, session.state.message?.text ?? "")
        XCTAssertFalse(session.state.isRecognizing)
    }

    func testLivePredictionRunsInTheBackgroundAndFeedbackReachesTheLog() {
        let recognizer = FakeRecognizer(digit: 7)
        let logger = FakeLogger()
        let (session, _) = makeSession(recognizer: recognizer, logger: logger)
        let c = session.state.layout.canvas
        session.send(.pointer(PointerEvent(.down, .mouse, at: UIPoint(x: c.x + 100, y: c.y + 100), time: 0)))
        session.send(.pointer(PointerEvent(.move, .mouse, at: UIPoint(x: c.x + 200, y: c.y + 100), time: 0.02)))
        session.send(.pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.x + 150, y: c.y + 300), time: 0.05)))
        XCTAssertTrue(recognizer.drawings.isEmpty, "debounced")
        session.send(.tick(time: 0.05 + session.state.settings.debounce))
        settle(session)
        XCTAssertEqual(recognizer.drawings.count, 1)
        XCTAssertEqual(session.state.prediction?.display.number, "7")
        XCTAssertEqual(session.state.prediction?.log, .logged(id: 101))

        session.send(.key(KeyPress(.digit(1), time: 1, stamp: stamp)))
        settle(session)
        XCTAssertEqual(logger.feedback.map { $0.0 }, [101])
        XCTAssertEqual(logger.feedback.map { $0.1 }, ["1"])
        XCTAssertEqual(session.state.message?.text, "Recorded: 1")
    }

    func testWithoutAModelOrLogTheWindowExplainsInsteadOfPredicting() {
        let (session, _) = makeSession(recognizer: nil, logger: nil)
        let c = session.state.layout.canvas
        session.send(.pointer(PointerEvent(.down, .mouse, at: c.center, time: 0)))
        session.send(.pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.center.x + 30, y: c.center.y), time: 0.1)))
        session.send(.key(KeyPress(.enter, time: 0.2, stamp: stamp)))
        settle(session)
        XCTAssertEqual(session.state.message?.text, "Could not recognize the drawing: no model is loaded")
    }

    func testLoggingFailureIsShownAndPredictionsContinue() {
        let logger = FakeLogger()
        logger.failure = "database is locked"
        let (session, _) = makeSession(logger: logger)
        let c = session.state.layout.canvas
        session.send(.pointer(PointerEvent(.down, .mouse, at: c.center, time: 0)))
        session.send(.pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.center.x, y: c.center.y + 40), time: 0.1)))
        session.send(.key(KeyPress(.enter, time: 0.2, stamp: stamp)))
        settle(session)
        XCTAssertEqual(session.state.prediction?.display.number, "7")
        XCTAssertEqual(session.state.message?.text, "logging unavailable: database is locked")
    }

    func testScreenshotDashboardAndFullscreenEffectsReachTheirHandlers() throws {
        final class Recorder: ScreenshotWriter, @unchecked Sendable {
            var calls: [(String, Int, Int, Int)] = []
            func writePNG(path: String, width: Int, height: Int, rgba: [UInt8]) throws { calls.append((path, width, height, rgba.count)) }
        }
        let writer = Recorder()
        let (session, host) = makeSession(writer: writer)
        session.send(.key(KeyPress(.f12, time: 0, stamp: stamp)))
        settle(session)
        // A made-up name goes to the user's Pictures folder, never the current directory.
        XCTAssertEqual(writer.calls.first?.0, UserDirectory.pictures.resolve("numeral-20260504-030201.png"))
        XCTAssertTrue(writer.calls.first?.0.hasSuffix("/Numeral/numeral-20260504-030201.png") ?? false)
        XCTAssertEqual(writer.calls.first?.3, 4 * 2 * 4)
        XCTAssertEqual(session.state.message?.kind, .success)
        session.send(.key(KeyPress(.letter("d"), time: 0, stamp: stamp)))
        XCTAssertEqual(host.dashboardOpens, 1)
        session.send(.key(KeyPress(.f11, time: 0, stamp: stamp)))
        XCTAssertEqual(host.fullscreenToggles, 1)

        let (bare, _) = makeSession()
        bare.send(.key(KeyPress(.letter("s"), time: 0, stamp: stamp)))
        settle(bare)
        XCTAssertEqual(bare.state.message?.text, "Could not save screenshot: \(AppError.screenshotWriterMissing)")
        bare.host = nil
        bare.send(.key(KeyPress(.letter("d"), time: 0, stamp: stamp))) // no window: ignored, no crash
    }

    func testReplayFeedsTheDrawingThroughPointerEventsUntilPredicted() throws {
        let recognizer = FakeRecognizer(digit: 3)
        let (session, _) = makeSession(recognizer: recognizer)
        let drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: 100, y: 100), StrokePoint(x: 400, y: 100), StrokePoint(x: 250, y: 400)])],
                              width: 500, height: 500)
        let driver = ReplayDriver(drawing: drawing, timeout: 5)
        var t = 100.0
        var progress = ReplayDriver.Progress.feeding
        while progress == .feeding, t < 110 {
            progress = try driver.step(session: session, now: t)
            if let due = session.state.recognitionDueAt, t >= due { session.send(.tick(time: t)) }
            settle(session)
            t += 0.01
        }
        XCTAssertEqual(progress, .finished)
        XCTAssertEqual(recognizer.drawings.count, 1)
        XCTAssertEqual(recognizer.drawings[0].strokes[0].points.count, 3)
        XCTAssertEqual(session.state.prediction?.display.number, "3")
    }
}

final class ShutdownTests: XCTestCase {
    /// A log that answers slowly, like a busy disk.
    final class SlowLogger: PredictionLogging, @unchecked Sendable {
        private let lock = NSLock()
        private var _feedback: [String] = []
        var feedback: [String] { lock.lock(); defer { lock.unlock() }; return _feedback }
        func logPrediction(_ r: Recognition, inputType: InputType, drawing: Drawing?, record: Int) throws -> LogOutcome {
            Thread.sleep(forTimeInterval: 0.05)
            return .logged(id: 1)
        }
        func logFeedback(actual: String, record: Int) throws -> LogOutcome {
            Thread.sleep(forTimeInterval: 0.05)
            lock.lock(); _feedback.append(actual); lock.unlock()
            return .logged(id: 1)
        }
    }

    func testFeedbackGivenJustBeforeQuittingIsWrittenBeforeExit() {
        let logger = SlowLogger()
        let session = AppSession(state: AppState(), services: AppServices(recognizer: FakeRecognizer(digit: 2), logger: logger),
                                 inbox: Inbox())
        let stamp = LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        let c = session.state.layout.canvas
        session.send(.pointer(PointerEvent(.down, .mouse, at: c.center, time: 0)))
        session.send(.pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.center.x + 50, y: c.center.y), time: 0.1)))
        session.send(.key(KeyPress(.enter, time: 0.2, stamp: stamp)))
        session.waitForBackgroundWork()
        session.drainInbox()                    // prediction shown; its log write is still running
        session.send(.key(KeyPress(.digit(8), time: 0.3, stamp: stamp)))  // sent behind the prediction's write
        session.send(.key(KeyPress(.escape, time: 0.3, stamp: stamp)))
        XCTAssertTrue(session.state.isQuitting)
        XCTAssertTrue(session.flushBeforeExit(timeout: 5))
        XCTAssertEqual(logger.feedback, ["8"])
    }
}
