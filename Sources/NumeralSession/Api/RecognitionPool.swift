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
    private var free: [Slot]
    /// One worker's recognizers: the digits' (swappable) and one per other character set served.
    private struct Slot {
        var digits: Recognizer
        var others: [CharacterClasses: Recognizer]
        func recognizer(for classes: CharacterClasses) -> Recognizer? { classes == .digits ? digits : others[classes] }
    }
    /// The character sets this pool reads (always the digits).
    public let characterSets: Set<CharacterClasses>
    /// The other sets' recognizers as loaded, copied into every worker's slot.
    private let otherTemplates: [CharacterClasses: Recognizer]
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

    /// Loads `workers` copies of the model at `weightsPath` (the model is not thread-safe), and
    /// of each model in `characterModels` (image model paths of letter sets, with their pen models
    /// beside them; each must read its set).
    public init(weightsPath: String, workers: Int, maxQueued: Int, maxClientWork: Int = defaultClientWork,
                characterModels: [CharacterClasses: String] = [:]) throws {
        self.workers = max(1, workers)
        self.maxQueued = max(0, maxQueued)
        // The pool runs one recognition per worker thread; OpenBLAS's own threads on top of
        // them only spin and yield against each other (a third of the CPU under load).
        EngineThreads.configure()
        let others = characterModels.filter { $0.key != .digits }
        // Loaded once and never used for recognizing: each worker gets copies.
        let templates = try Dictionary(uniqueKeysWithValues: others.map { classes, path -> (CharacterClasses, Recognizer) in
            var locator = ModelLocator()
            locator.classes = classes
            return (classes, try Recognizer.load(weightsPath: path, locator: locator))
        })
        otherTemplates = templates
        free = try (0..<self.workers).map { _ in
            Slot(digits: try Recognizer.load(weightsPath: weightsPath), others: templates.mapValues(Self.copy))
        }
        characterSets = Set(others.keys).union([.digits])
        loadedID = free[0].digits.model.id
        trajectoryTemplate = free[0].digits.trajectoryModel?.copy()
        pictureTemplate = free[0].digits.pictureModel?.copy()
        scheduler = FairScheduler(workers: self.workers, maxQueued: self.maxQueued, maxClientWork: maxClientWork,
                                  name: "numeral.server.recognition")
    }

    /// Recognitions admitted and not yet finished.
    public var inFlight: Int { scheduler.inFlight }

    /// Runs `body` with a recognizer of its own on a worker thread, as `client`'s work of
    /// `work` units. With a `deadline` (seconds from now), a job that has not started by then is
    /// withdrawn and `ServiceError.timedOut` thrown; a started one always finishes. `classes`
    /// picks the recognizer; a set the pool has no model for is `ServiceError.badRequest` at once.
    public func run<T: Sendable>(client: String = "local", work: Int = 1, deadline: Double? = nil,
                                 classes: CharacterClasses = .digits,
                                 _ body: @escaping @Sendable (Recognizer) throws -> T) async throws -> T {
        guard characterSets.contains(classes) else {
            throw ServiceError.badRequest("This server has no model for \(classes.rawValue); it reads "
                + characterSets.map(\.rawValue).sorted().joined(separator: ", ") + ". Install Numeral's \(classes.rawValue) models "
                + "(\(ModelLocator.shippedFileName(for: classes))) beside the digit model, or leave out classes.")
        }
        let once = Locked<CheckedContinuation<T, Error>?>(nil)
        let timer = Locked<Task<Void, Never>?>(nil)
        func finish(_ result: Result<T, Error>) {
            guard let continuation = once.withLock({ c -> CheckedContinuation<T, Error>? in defer { c = nil }; return c }) else { return }
            timer.withLock { $0?.cancel() }
            continuation.resume(with: result)
        }
        let job = FairScheduler.Job(client: client, work: work, run: { [self] _ in
            let (slot, gen) = lock.withLock { (free.removeLast(), generation) }
            let result = Result {
                guard let recognizer = slot.recognizer(for: classes) else { throw ServiceError.failed("Recognition failed.") }
                return try body(recognizer)
            }
            lock.withLock { if gen == generation { free.append(slot) } }
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
        swapDigits(fresh, id: model.id)
    }

    /// Swaps in new digit recognizers, each worker with fresh copies of the other sets'.
    private func swapDigits(_ fresh: [Recognizer], id: String) {
        let slots = fresh.map { Slot(digits: $0, others: otherTemplates.mapValues(Self.copy)) }
        lock.withLock {
            generation += 1
            free = slots
            loadedID = id
        }
    }

    /// Loads the model at `weightsPath` and uses it for every recognition that starts after.
    public func replaceModel(weightsPath: String) throws {
        let fresh = try (0..<workers).map { _ in try Recognizer.load(weightsPath: weightsPath) }
        swapDigits(fresh, id: fresh[0].model.id)
    }

    private static func copy(_ r: Recognizer) -> Recognizer {
        Recognizer(model: r.model.copy(), trajectoryModel: r.trajectoryModel?.copy(), pictureModel: r.pictureModel?.copy())
    }
}
