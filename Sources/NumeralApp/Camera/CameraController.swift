import Dispatch
import Foundation
import NumeralUI

/// What the camera view needs from the window around it.
protocol CameraHost: AnyObject {
    /// The view asked to go back to the drawing view.
    func cameraDidClose()
    func cameraWantsQuit()
    func cameraToggleFullscreen()
    func cameraSaveScreenshot(path: String)
}

/// Owns the camera view's state and carries out its effects: cameras listed and captures
/// logged on a background queue, each opened source read by a `CameraFeed` off the UI thread.
/// Replies come back through the inbox, which the window drains every loop iteration.
final class CameraController {
    private(set) var state: CameraState
    let inbox: Inbox<CameraEvent>
    weak var host: CameraHost?
    let services: CameraServices
    private let ioQueue = DispatchQueue(label: "numeral.camera.io", qos: .utility)
    private var feeds: [Int: CameraFeed] = [:]

    init(state: CameraState, services: CameraServices, inbox: Inbox<CameraEvent>) {
        self.state = state
        self.services = services
        self.inbox = inbox
    }

    deinit { for feed in feeds.values { feed.stop() } }

    var isVisible: Bool { state.isOpen }

    /// Applies one event. Returns true when the state changed, i.e. a redraw is needed.
    @discardableResult
    func send(_ event: CameraEvent) -> Bool {
        let before = state
        let effects = reduceCamera(&state, event)
        for effect in effects { perform(effect) }
        return state != before
    }

    @discardableResult
    func drainInbox() -> Bool {
        var changed = false
        for event in inbox.drain() { changed = send(event) || changed }
        return changed
    }

    /// Waits (for tests) until queued log writes and frame readings are done.
    func waitForBackgroundWork() {
        for feed in feeds.values { feed.waitForReader() }
        ioQueue.sync {}
    }

    /// Before exiting: releases the camera and lets queued log writes finish (up to `timeout` s).
    @discardableResult
    func shutDown(timeout: Double = 3) -> Bool {
        for feed in feeds.values { feed.stop() }
        feeds = [:]
        let done = DispatchSemaphore(value: 0)
        ioQueue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }

    private func perform(_ effect: CameraEffect) {
        let inbox = self.inbox
        switch effect {
        case .findDevices:
            let list = services.listDevices
            ioQueue.async { inbox.post(.devicesFound(list())) }
        case .start(let source, let stream):
            let feed = CameraFeed(stream: stream, reader: services.reader, readerProblem: services.readerProblem) { inbox.post($0) }
            feeds[stream] = feed
            feed.start(source, startTimeout: services.startTimeout, frameTimeout: services.frameTimeout)
        case .stop(let stream):
            feeds.removeValue(forKey: stream)?.stop()
        case .setReading(let stream, let enabled):
            feeds[stream]?.setReading(enabled)
        case .frameShown(let stream):
            feeds[stream]?.frameShown()
        case .logPrediction(let display, let serial):
            guard let logger = services.logger else {
                inbox.post(.predictionLogged(serial: serial, outcome: .failed(services.loggerProblem)))
                return
            }
            ioQueue.async {
                do {
                    let outcome = try logger.logPrediction(display, inputType: .camera, drawing: nil, record: serial)
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
                    inbox.post(.feedbackLogged(serial: serial, actual: actual, outcome: try logger.logFeedback(actual: actual, record: serial)))
                } catch {
                    inbox.post(.feedbackLogged(serial: serial, actual: actual, outcome: .failed(String(describing: error))))
                }
            }
        case .closeView:
            host?.cameraDidClose()
        case .saveScreenshot(let path):
            host?.cameraSaveScreenshot(path: path)
        case .toggleFullscreen:
            host?.cameraToggleFullscreen()
        case .quit:
            host?.cameraWantsQuit()
        }
    }
}
