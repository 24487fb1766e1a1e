import Dispatch
import NumeralUI
import NumeralVision

/// What effects need from the window itself.
protocol WindowHost: AnyObject {
    func toggleFullscreen()
    /// The current frame as RGBA bytes (row-major, top row first).
    func captureFrame() throws -> (width: Int, height: Int, rgba: [UInt8])
}

/// Owns the app state and carries out the reducer's effects: model and log calls on
/// background queues whose replies come back through the inbox, window effects on the host.
/// Used by the window and, with a fake host, by tests.
final class AppSession {
    private(set) var state: AppState
    let services: AppServices
    let inbox: EventInbox
    weak var host: WindowHost?

    private let recognitionQueue = DispatchQueue(label: "numeral.recognition", qos: .userInitiated)
    private let ioQueue = DispatchQueue(label: "numeral.io", qos: .utility)
    private let latestRecognition = LatestRevision()

    init(state: AppState, services: AppServices, inbox: EventInbox) {
        self.state = state
        self.services = services
        self.inbox = inbox
    }

    /// Applies one event. Returns true when the state changed, i.e. a redraw is needed.
    @discardableResult
    func send(_ event: AppEvent) -> Bool {
        let before = state
        let effects = reduce(&state, event)
        for effect in effects { perform(effect) }
        return state != before
    }

    /// Applies everything background work has posted since the last call.
    @discardableResult
    func drainInbox() -> Bool {
        var changed = false
        for event in inbox.drain() { changed = send(event) || changed }
        return changed
    }

    /// Before exiting: lets queued log writes finish, so a correction made just before
    /// quitting is not lost (a write the log cannot take lands in the durable spool). Gives
    /// up at `timeout` seconds so a hung log cannot keep the app from closing. Returns false
    /// if it gave up.
    @discardableResult
    func flushBeforeExit(timeout: Double = 3) -> Bool {
        let done = DispatchSemaphore(value: 0)
        ioQueue.async { done.signal() }
        if done.wait(timeout: .now() + timeout) == .timedOut { return false }
        drainInbox()
        return true
    }

    /// Waits (for tests and replay) until the queues have finished what was submitted so far.
    func waitForBackgroundWork() {
        recognitionQueue.sync {}
        ioQueue.sync {}
    }

    private func perform(_ effect: AppEffect) {
        let inbox = self.inbox
        switch effect {
        case .recognize(let drawing, let revision):
            latestRecognition.set(revision)
            guard let recognizer = services.recognizer else {
                inbox.post(.recognitionFinished(revision: revision, outcome: .failure(services.recognizerProblem)))
                return
            }
            let latest = latestRecognition
            recognitionQueue.async {
                guard latest.get() == revision else { return }
                do {
                    inbox.post(.recognitionFinished(revision: revision, outcome: .success(try recognizer.recognize(drawing))))
                } catch {
                    inbox.post(.recognitionFinished(revision: revision, outcome: .failure(String(describing: error))))
                }
            }

        case .recognizeFile(let path, let revision):
            guard let recognizer = services.recognizer else {
                inbox.post(.fileRecognitionFinished(path: path, revision: revision, outcome: .failure(services.recognizerProblem)))
                return
            }
            recognitionQueue.async {
                do {
                    let (display, picture) = try recognizer.recognize(pngAt: path)
                    inbox.post(.fileRecognitionFinished(path: path, revision: revision,
                                                        outcome: .success(display, picture: picture)))
                } catch {
                    inbox.post(.fileRecognitionFinished(path: path, revision: revision,
                                                        outcome: .failure(String(describing: error))))
                }
            }

        case .explain(let inputs, let revision):
            guard let explainer = services.explainer else {
                inbox.post(.explanationFinished(revision: revision, outcome: .failure(services.recognizerProblem)))
                return
            }
            // The recognition queue: never the UI thread, and in order with the predictions.
            recognitionQueue.async {
                do {
                    inbox.post(.explanationFinished(revision: revision, outcome: .success(try explainer.explain(inputs))))
                } catch {
                    inbox.post(.explanationFinished(revision: revision, outcome: .failure(String(describing: error))))
                }
            }

        case .logPrediction(let display, let inputType, let drawing, let serial):
            guard let logger = services.logger else {
                inbox.post(.predictionLogged(serial: serial, outcome: .failed(services.loggerProblem)))
                return
            }
            ioQueue.async {
                do {
                    let outcome = try logger.logPrediction(display, inputType: inputType, drawing: drawing, record: serial)
                    inbox.post(.predictionLogged(serial: serial, outcome: outcome))
                } catch {
                    inbox.post(.predictionLogged(serial: serial, outcome: .failed(String(describing: error))))
                }
            }

        case .logFeedback(let actual, let serial):
            guard let logger = services.logger else {
                inbox.post(.feedbackLogged(serial: serial, actual: actual, outcome: .failed(services.loggerProblem)))
                return
            }
            ioQueue.async {
                do {
                    let outcome = try logger.logFeedback(actual: actual, record: serial)
                    inbox.post(.feedbackLogged(serial: serial, actual: actual, outcome: outcome))
                } catch {
                    inbox.post(.feedbackLogged(serial: serial, actual: actual, outcome: .failed(String(describing: error))))
                }
            }

        case .saveScreenshot(let path):
            saveScreenshot(path: path) { inbox.post($0) }

        case .toggleFullscreen:
            host?.toggleFullscreen()
        case .openDashboard:
            services.openDashboard?()
        case .openCamera:
            services.openCamera?()
        case .quit:
            break // The loop ends once state.isQuitting is set.
        }
    }

    /// Captures the frame now (UI thread) and encodes/writes it on the io queue.
    func saveScreenshot(path: String, reply: @escaping @Sendable (AppEvent) -> Void) {
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
