import Foundation
import NumeralEngine
import NumeralRecognition

/// A fixed number of recognizers, each used by one background thread at a time, so inference
/// and picture decoding never run on (or block) the server's event loops. Work is scheduled
/// fairly between clients and bounded in work, not requests (`FairScheduler`): past a client's
/// share or the server's queue, `run` refuses at once with `ServiceError.busy`, before any of the
/// work is done. A job still waiting when its deadline comes is withdrawn (`ServiceError.timedOut`,
/// nothing was done); one that started finishes and returns its result. The model can be
/// swapped while requests are in flight.
public final class RecognitionPool: ModelSwapping, @unchecked Sendable {
    public let workers: Int
    public let maxQueued: Int
    private let scheduler: FairScheduler
    private let lock = NSLock()
    private var free: [Recognizer]
    private var generation = 0
    private var loadedID: String
    /// The pen-trajectory model the workers were loaded with, copied into swapped-in recognizers.
    private var trajectoryTemplate: PenTrajectoryModel?
    /// The picture model the workers were loaded with, copied likewise.
    private var pictureTemplate: DigitModel?
    /// The id of the model recognitions use now.
    public var modelID: String { lock.withLock { loadedID } }

    /// Work units one client may have queued or running at once (see `FairScheduler`).
    public static let defaultClientWork = 128

    /// Loads `workers` copies of the model at `weightsPath` (the model is not thread-safe).
    public init(weightsPath: String, workers: Int, maxQueued: Int, maxClientWork: Int = defaultClientWork) throws {
        self.workers = max(1, workers)
        self.maxQueued = max(0, maxQueued)
        // The pool runs one recognition per worker thread; OpenBLAS's own threads on top of
        // them only spin and yield against each other (a third of the CPU under load).
        EngineThreads.configure()
        free = try (0..<self.workers).map { _ in try Recognizer.load(weightsPath: weightsPath) }
        loadedID = free[0].model.id
        trajectoryTemplate = free[0].trajectoryModel?.copy()
        pictureTemplate = free[0].pictureModel?.copy()
        scheduler = FairScheduler(workers: self.workers, maxQueued: self.maxQueued, maxClientWork: maxClientWork,
                                  name: "numeral.server.recognition")
    }

    /// Recognitions admitted and not yet finished.
    public var inFlight: Int { scheduler.inFlight }

    /// Runs `body` with a recognizer of its own on a worker thread, as `client`'s work of
    /// `work` units. With a `deadline` (seconds from now), a job that has not started by then is
    /// withdrawn and `ServiceError.timedOut` thrown; a started one always finishes.
    public func run<T: Sendable>(client: String = "local", work: Int = 1, deadline: Double? = nil,
                                 _ body: @escaping @Sendable (Recognizer) throws -> T) async throws -> T {
        let once = Locked<CheckedContinuation<T, Error>?>(nil)
        let timer = Locked<Task<Void, Never>?>(nil)
        func finish(_ result: Result<T, Error>) {
            guard let continuation = once.withLock({ c -> CheckedContinuation<T, Error>? in defer { c = nil }; return c }) else { return }
            timer.withLock { $0?.cancel() }
            continuation.resume(with: result)
        }
        let job = FairScheduler.Job(client: client, work: work, run: { [self] _ in
            let (recognizer, gen) = lock.withLock { (free.removeLast(), generation) }
            let result = Result { try body(recognizer) }
            lock.withLock { if gen == generation { free.append(recognizer) } }
            finish(result)
        }, withdrawn: {
            finish(.failure(ServiceError.timedOut("The input waited longer than the server's \(String(format: "%g", deadline ?? 0)) s "
                                                   + "deadline behind other work and was not recognized; nothing was logged, so it is safe to send again.")))
        })
        return try await withCheckedThrowingContinuation { continuation in
            once.withLock { $0 = continuation }
            do {
                try scheduler.submit(job)
            } catch {
                finish(.failure(error))
                return
            }
            if let deadline, deadline.isFinite, deadline > 0 {
                timer.withLock { $0 = Task { [scheduler] in
                    try? await Task.sleep(nanoseconds: UInt64(deadline * 1e9))
                    if !Task.isCancelled { scheduler.withdraw(job) }
                } }
            }
        }
    }

    /// Uses `model` (one copy per worker, each with its own copies of the pen-trajectory and picture models) for
    /// every recognition that starts after; how the active-model watcher swaps it in.
    public func replaceModel(_ model: DigitModel) {
        let (trajectory, picture) = lock.withLock { (trajectoryTemplate, pictureTemplate) }
        let fresh = (0..<workers).map { i in
            Recognizer(model: i == 0 ? model : model.copy(), trajectoryModel: trajectory?.copy(), pictureModel: picture?.copy())
        }
        lock.withLock {
            generation += 1
            free = fresh
            loadedID = model.id
        }
    }

    /// Loads the model at `weightsPath` and uses it for every recognition that starts after.
    public func replaceModel(weightsPath: String) throws {
        let fresh = try (0..<workers).map { _ in try Recognizer.load(weightsPath: weightsPath) }
        lock.withLock {
            generation += 1
            free = fresh
            loadedID = fresh[0].model.id
        }
    }
}
