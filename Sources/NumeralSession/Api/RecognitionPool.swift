import Foundation
import NumeralEngine
import NumeralRecognition

/// A fixed number of recognizers, each used by one background thread at a time, so inference
/// never runs on (or blocks) the server's event loops. Work beyond the workers waits in a
/// bounded queue; past it, `run` refuses at once with `ServiceError.busy` instead of letting
/// latency grow without bound. The model can be swapped while requests are in flight.
public final class RecognitionPool: ModelSwapping, @unchecked Sendable {
    public let workers: Int
    public let maxQueued: Int
    private let queue = OperationQueue()
    private let lock = NSLock()
    private var free: [Recognizer]
    private var generation = 0
    private var admitted = 0
    private var loadedID: String
    /// The pen-trajectory model the workers were loaded with, copied into swapped-in recognizers.
    private var trajectoryTemplate: PenTrajectoryModel?
    /// The picture model the workers were loaded with, copied likewise.
    private var pictureTemplate: DigitModel?
    /// The id of the model recognitions use now.
    public var modelID: String { lock.withLock { loadedID } }

    /// Loads `workers` copies of the model at `weightsPath` (the model is not thread-safe).
    public init(weightsPath: String, workers: Int, maxQueued: Int) throws {
        self.workers = max(1, workers)
        self.maxQueued = max(0, maxQueued)
        // The pool runs one recognition per worker thread; OpenBLAS's own threads on top of
        // them only spin and yield against each other (a third of the CPU under load).
        EngineThreads.configure()
        free = try (0..<self.workers).map { _ in try Recognizer.load(weightsPath: weightsPath) }
        loadedID = free[0].model.id
        trajectoryTemplate = free[0].trajectoryModel?.copy()
        pictureTemplate = free[0].pictureModel?.copy()
        queue.maxConcurrentOperationCount = self.workers
        queue.qualityOfService = .userInitiated
        queue.name = "numeral.server.recognition"
    }

    /// Recognitions admitted and not yet finished.
    public var inFlight: Int { lock.withLock { admitted } }

    /// Runs `body` with a recognizer of its own on a worker thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Recognizer) throws -> T) async throws -> T {
        try lock.withLock {
            guard admitted < workers + maxQueued else {
                throw ServiceError.busy("The server is busy recognizing \(admitted) inputs; try again in a moment.")
            }
            admitted += 1
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.addOperation { [self] in
                let (recognizer, gen) = lock.withLock { (free.removeLast(), generation) }
                let result = Result { try body(recognizer) }
                lock.withLock {
                    if gen == generation { free.append(recognizer) }
                    admitted -= 1
                }
                continuation.resume(with: result)
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
