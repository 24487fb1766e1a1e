import Dispatch
import Foundation
import NumeralUI

/// What the camera view needs from the window around it.
public protocol CameraHost: AnyObject {
    /// The view asked to go back to the drawing view.
    func cameraDidClose()
    func cameraWantsQuit()
    func cameraToggleFullscreen()
    func cameraSaveScreenshot(path: String)
}

/// The camera view's session: its state on a `SessionRunner`, whose effects are carried out
/// here: cameras listed and captures logged on a background queue, each opened source read by
/// a `CameraFeed` off the UI thread. Replies come back through the inbox, which the window
/// drains every loop iteration.
public final class CameraController {
    public let runner: SessionRunner<CameraState, CameraEvent, [CameraEffect]>
    public weak var host: CameraHost?
    public let services: CameraServices
    private let ioQueue = DispatchQueue(label: "numeral.camera.io", qos: .utility)
    private var feeds: [Int: CameraFeed] = [:]

    public init(state: CameraState, services: CameraServices, inbox: Inbox<CameraEvent> = Inbox()) {
        self.services = services
        runner = SessionRunner(state: state, inbox: inbox, reduce: reduceCamera)
        runner.perform = { [unowned self] in self.perform($0) }
    }

    deinit { for feed in feeds.values { feed.stop() } }

    public var state: CameraState { runner.state }
    public var inbox: Inbox<CameraEvent> { runner.inbox }
    public var isVisible: Bool { state.isOpen }

    /// Applies one event. Returns true when the state changed, i.e. a redraw is needed.
    @discardableResult
    public func send(_ event: CameraEvent) -> Bool { runner.send(event) }

    @discardableResult
    public func drainInbox() -> Bool { runner.drainInbox() }

    /// Waits (for tests) until queued log writes and frame readings are done.
    public func waitForBackgroundWork() {
        for feed in feeds.values { feed.waitForReader() }
        ioQueue.sync {}
    }

    /// Before exiting: releases the camera and lets queued log writes finish (up to `timeout` s).
    @discardableResult
    public func shutDown(timeout: Double = 3) -> Bool {
        for feed in feeds.values { feed.stop() }
        feeds = [:]
        let done = DispatchSemaphore(value: 0)
        ioQueue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }

    private func perform(_ effect: CameraEffect) {
        let logger = services.logger, loggerProblem = services.loggerProblem
        switch effect {
        case .findDevices:
            let list = services.listDevices
            runner.reply(on: ioQueue) { .devicesFound(list()) }
        case .start(let source, let stream):
            let inbox = self.inbox
            let feed = CameraFeed(stream: stream, reader: services.reader, readerProblem: services.readerProblem) { inbox.post($0) }
            feeds[stream] = feed
            feed.start(source, startTimeout: services.startTimeout, frameTimeout: services.frameTimeout)
        case .stop(let stream):
            feeds.removeValue(forKey: stream)?.stop()
        case .setReading(let stream, let enabled):
            feeds[stream]?.setReading(enabled)
        case .frameShown(let stream):
            feeds[stream]?.frameShown()
        case .logPrediction(let recognition, let serial):
            runner.reply(on: ioQueue) {
                do {
                    guard let logger else { return .predictionLogged(serial: serial, outcome: .failed(loggerProblem)) }
                    let outcome = try logger.logPrediction(recognition, inputType: .camera, drawing: nil, record: serial)
                    return .predictionLogged(serial: serial, outcome: outcome)
                } catch {
                    return .predictionLogged(serial: serial, outcome: .failed(String(describing: error)))
                }
            }
        case .logFeedback(let actual, let serial):
            runner.reply(on: ioQueue) {
                do {
                    guard let logger else { return .feedbackLogged(serial: serial, actual: actual, outcome: .failed(loggerProblem)) }
                    return .feedbackLogged(serial: serial, actual: actual, outcome: try logger.logFeedback(actual: actual, record: serial))
                } catch {
                    return .feedbackLogged(serial: serial, actual: actual, outcome: .failed(String(describing: error)))
                }
            }
        case .closeView:
            host?.cameraDidClose()
        case .saveScreenshot(let path):
            host?.cameraSaveScreenshot(path: UserDirectory.pictures.resolve(path))
        case .toggleFullscreen:
            host?.cameraToggleFullscreen()
        case .quit:
            host?.cameraWantsQuit()
        }
    }
}
