import Dispatch
import NumeralUI
import NumeralVision

/// The drawing view's session: its state on a `SessionRunner`, whose effects are carried out
/// here: model and log calls on background queues whose replies come back through the inbox,
/// window effects on the host. Used by the window and, with a fake host, by tests.
public final class AppSession {
    public let runner: SessionRunner<AppState, AppEvent, [AppEffect]>
    public let services: AppServices
    public weak var host: WindowHost?

    private let recognitionQueue = DispatchQueue(label: "numeral.recognition", qos: .userInitiated)
    private let ioQueue = DispatchQueue(label: "numeral.io", qos: .utility)
    /// The newest revision asked for, so a backlog of recognitions for older drawings is
    /// skipped instead of delaying the one that matters.
    private let latestRecognition = Locked(Int.min)

    public init(state: AppState, services: AppServices, inbox: Inbox<AppEvent> = Inbox()) {
        self.services = services
        runner = SessionRunner(state: state, inbox: inbox, reduce: reduce)
        runner.perform = { [unowned self] in self.perform($0) }
    }

    public var state: AppState { runner.state }
    public var inbox: Inbox<AppEvent> { runner.inbox }

    /// Applies one event. Returns true when the state changed, i.e. a redraw is needed.
    @discardableResult
    public func send(_ event: AppEvent) -> Bool { runner.send(event) }

    /// Applies everything background work has posted since the last call.
    @discardableResult
    public func drainInbox() -> Bool { runner.drainInbox() }

    /// Before exiting: lets queued log writes finish, so a correction made just before
    /// quitting is not lost (a write the log cannot take lands in the durable spool). Gives
    /// up at `timeout` seconds so a hung log cannot keep the app from closing. Returns false
    /// if it gave up.
    @discardableResult
    public func flushBeforeExit(timeout: Double = 3) -> Bool {
        let done = DispatchSemaphore(value: 0)
        ioQueue.async { done.signal() }
        if done.wait(timeout: .now() + timeout) == .timedOut { return false }
        drainInbox()
        return true
    }

    /// Waits (for tests and replay) until the queues have finished what was submitted so far.
    public func waitForBackgroundWork() {
        recognitionQueue.sync {}
        ioQueue.sync {}
    }

    private func perform(_ effect: AppEffect) {
        let recognizer = services.recognizer, explainer = services.explainer, logger = services.logger
        let recognizerProblem = services.recognizerProblem, loggerProblem = services.loggerProblem
        let inbox = runner.inbox
        switch effect {
        case .recognize(let drawing, let revision, let classes):
            latestRecognition.current = revision
            guard let recognizer else {
                inbox.post(.recognitionFinished(revision: revision, outcome: .failure(recognizerProblem)))
                return
            }
            let latest = latestRecognition
            runner.reply(on: recognitionQueue) {
                guard latest.current == revision else { return nil }
                do {
                    return .recognitionFinished(revision: revision, outcome: .success(try recognizer.recognize(drawing, classes: classes)))
                } catch {
                    return .recognitionFinished(revision: revision, outcome: .failure(String(describing: error)))
                }
            }

        case .recognizeFile(let path, let revision):
            guard let recognizer else {
                inbox.post(.fileRecognitionFinished(path: path, revision: revision, outcome: .failure(recognizerProblem)))
                return
            }
            runner.reply(on: recognitionQueue) {
                do {
                    let read = try recognizer.recognizePicture(at: path)
                    return .fileRecognitionFinished(path: path, revision: revision,
                                                    outcome: .success(read.recognition, picture: read.picture, unsure: read.unsure))
                } catch {
                    return .fileRecognitionFinished(path: path, revision: revision, outcome: .failure(String(describing: error)))
                }
            }

        case .explain(let inputs, let revision):
            guard let explainer else {
                inbox.post(.explanationFinished(revision: revision, outcome: .failure(recognizerProblem)))
                return
            }
            // The recognition queue: never the UI thread, and in order with the predictions.
            runner.reply(on: recognitionQueue) {
                do {
                    return .explanationFinished(revision: revision, outcome: .success(try explainer.explain(inputs)))
                } catch {
                    return .explanationFinished(revision: revision, outcome: .failure(String(describing: error)))
                }
            }

        case .logPrediction(let display, let inputType, let drawing, let serial):
            guard let logger else {
                inbox.post(.predictionLogged(serial: serial, outcome: .failed(loggerProblem)))
                return
            }
            runner.reply(on: ioQueue) {
                .predictionLogged(serial: serial, outcome: LogOutcome {
                    try logger.logPrediction(display, inputType: inputType, drawing: drawing, record: serial)
                })
            }

        case .logFeedback(let actual, let serial):
            guard let logger else {
                inbox.post(.feedbackLogged(serial: serial, actual: actual, outcome: .failed(loggerProblem)))
                return
            }
            runner.reply(on: ioQueue) {
                .feedbackLogged(serial: serial, actual: actual, outcome: LogOutcome {
                    try logger.logFeedback(actual: actual, record: serial)
                })
            }

        case .saveScreenshot(let path):
            // A made-up name lands in the user's Pictures folder, not the current directory.
            saveScreenshot(path: UserDirectory.pictures.resolve(path)) { inbox.post($0) }

        case .toggleFullscreen:
            host?.toggleFullscreen()
        case .openDashboard:
            host?.openDashboard()
        case .openCamera:
            host?.openCamera()
        case .quit:
            break // The loop ends once state.isQuitting is set.
        }
    }

    /// Captures the frame now (UI thread) and encodes/writes it on the io queue.
    public func saveScreenshot(path: String, reply: @escaping @Sendable (AppEvent) -> Void) {
        guard let writer = services.screenshotWriter else {
            reply(.screenshotSaved(path: path, error: AppError.screenshotWriterMissing.description))
            return
        }
        guard let host else {
            reply(.screenshotSaved(path: path, error: "there is no window to capture"))
            return
        }
        do {
            let frame = try host.captureFrame()
            ioQueue.async {
                do {
                    try writer.writePNG(path: path, width: frame.width, height: frame.height, rgba: frame.rgba)
                    reply(.screenshotSaved(path: path, error: nil))
                } catch {
                    reply(.screenshotSaved(path: path, error: String(describing: error)))
                }
            }
        } catch {
            reply(.screenshotSaved(path: path, error: String(describing: error)))
        }
    }
}

private extension LogOutcome {
    /// The log call's outcome, or `.failed` with why it threw.
    init(_ write: () throws -> LogOutcome) {
        do { self = try write() } catch { self = .failed(String(describing: error)) }
    }
}
