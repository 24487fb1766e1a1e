import Dispatch
import Foundation
import NumeralImprovement

/// Keeps the server on the log's active model when it was started without `--model`: every
/// `interval` seconds, on its own queue, it reads the active id (one single-row read) and, when
/// `numeral model use`, another server's `POST /models/{id}/activate` or an adopted improvement
/// changed it, loads those weights (fetched from a shared log's database when this machine lacks
/// them) and swaps them into the recognizer pool. A failed load is retried only after the id changes.
final class ActiveModelFollower: @unchecked Sendable {
    private let pool: RecognitionPool
    private let registry: () throws -> ModelRegistry
    private let interval: Double
    private let queue = DispatchQueue(label: "numeral.server.model-follower", qos: .utility)
    private var timer: DispatchSourceTimer?
    private var failedID: String?
    private var cached: ModelRegistry?

    init(pool: RecognitionPool, interval: Double, registry: @escaping () throws -> ModelRegistry) {
        self.pool = pool
        self.interval = interval
        self.registry = registry
    }

    deinit { timer?.cancel() }

    func start() {
        queue.sync {
            guard timer == nil, interval > 0 else { return }
            let t = DispatchSource.makeTimerSource(queue: queue)
            t.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(200))
            t.setEventHandler { [weak self] in self?.check() }
            t.resume()
            timer = t
        }
    }

    func stop() { queue.sync { timer?.cancel(); timer = nil } }

    /// Checks once, now (tests).
    func checkNow() { queue.sync { check() } }

    /// Runs on `queue` only. A log that cannot be read right now is read again at the next tick.
    private func check() {
        do {
            let registry = try cached ?? self.registry()
            cached = registry
            guard let id = try registry.activeModelID(), id != pool.modelID, id != failedID else { return }
            do {
                try pool.replaceModel(weightsPath: try registry.activeModelPath())
                failedID = nil
            } catch {
                failedID = id
            }
        } catch {
            cached = nil
        }
    }
}
