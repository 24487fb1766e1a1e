import Dispatch
import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralUI

/// Keeps a recognizer (the window's, or a server's pool) on the active model: every `interval` seconds, off the UI thread,
/// it reads the registry's active id (one single-row read) and, when `numeral model use`, `rollback`
/// or an adopted improvement changed it, loads that model and swaps it in. The app never restarts.
public final class ActiveModelWatcher: @unchecked Sendable {
    private let service: ModelSwapping
    private let activeModelID: () throws -> String?
    private let loadActiveModel: () throws -> DigitModel
    private let interval: Double
    private let queue = DispatchQueue(label: "numeral.model-watcher", qos: .utility)
    private var timer: DispatchSourceTimer?
    private var report: (@Sendable (AppEvent) -> Void)?
    /// An id whose model failed to load: reported once, tried again only after the id changes.
    private var failedID: String?

    public convenience init(registry: ModelRegistry, service: ModelSwapping, interval: Double = 2) {
        self.init(service: service, interval: interval,
                  activeModelID: { try registry.activeModelID() },
                  loadActiveModel: { try registry.loadActiveModel() })
    }

    /// - Parameters:
    ///   - activeModelID: the id the app should use; nil while none is registered.
    ///   - loadActiveModel: loads the model `activeModelID` names.
    public init(service: ModelSwapping, interval: Double = 2,
                activeModelID: @escaping () throws -> String?, loadActiveModel: @escaping () throws -> DigitModel) {
        self.service = service
        self.interval = interval
        self.activeModelID = activeModelID
        self.loadActiveModel = loadActiveModel
    }

    deinit { timer?.cancel() }

    /// Starts polling; `report` receives `.modelChanged` after each swap (or failed load), on the
    /// watcher's queue.
    public func start(report: @escaping @Sendable (AppEvent) -> Void = { _ in }) {
        queue.sync {
            self.report = report
            guard timer == nil else { return }
            let t = DispatchSource.makeTimerSource(queue: queue)
            t.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(200))
            t.setEventHandler { [weak self] in self?.check() }
            t.resume()
            timer = t
        }
    }

    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    /// Checks once, now, and returns when any swap is done (for tests and a first check at start).
    public func checkNow() { queue.sync { check() } }

    /// Runs on `queue` only.
    private func check() {
        // A log locked for a moment by a writer is read again at the next tick.
        guard let id = try? activeModelID(), id != service.modelID else { return }
        guard id != failedID else { return }
        do {
            let model = try loadActiveModel()
            service.replaceModel(model)
            failedID = nil
            report?(.modelChanged(id: model.id, error: nil))
        } catch {
            failedID = id
            report?(.modelChanged(id: id, error: String(describing: error)))
        }
    }
}
