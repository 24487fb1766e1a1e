import Foundation
import NumeralImprovement
import NumeralSession
import NumeralStore
import NumeralVision

/// `POST /api/v1/improve`: one `numeral improve` run at a time on a background thread, with
/// its progress readable while it runs and its outcome after. An adopted model is served
/// from the next prediction on.
public final class ImprovementRunner: @unchecked Sendable {
    /// What `GET /api/v1/improve` answers.
    public struct Status: Codable, Sendable, Equatable {
        /// idle, running, finished, failed
        public var state: String
        public var stage: String?
        public var fraction: Double?
        public var message: String?
        public var adopted: Bool?
        public var candidate: String?
        /// The adoption guard's rules and figures for the finished run (the rule that decided; held-out
        /// before and after; MNIST shipped, current and candidate).
        public var adoption: AdoptionGuard?
        public var started: Date?
        public var finished: Date?
    }

    private let dataDirectory: String
    private let location: LogLocation
    private let mnistDirectory: String
    private let settings: ImprovementSettings
    private let pool: RecognitionPool
    private let lock = NSLock()
    private var current = Status(state: "idle")

    init(dataDirectory: String, location: LogLocation, mnistDirectory: String, pool: RecognitionPool,
         settings: ImprovementSettings = ImprovementSettings()) {
        self.dataDirectory = dataDirectory
        self.location = location
        self.mnistDirectory = mnistDirectory
        self.pool = pool
        self.settings = settings
    }

    public var status: Status { lock.withLock { current } }

    /// Starts a run; throws `conflict` while one is running, and before accepting anything when
    /// the server has no MNIST to check the candidate on (it used to answer 202 and fail after).
    public func start() throws -> Status {
        guard Self.hasMNIST(mnistDirectory) else {
            throw ServiceError.conflict("MNIST is needed to check that the model does not get worse, and this server has none: "
                + "start `numeral serve` with --data DIR (the folder holding the four MNIST files), set NUMERAL_MNIST, "
                + "or run `numeral data fetch` on the server.")
        }
        try lock.withLock {
            guard current.state != "running" else {
                throw ServiceError.conflict("An improve run is already in progress; GET /api/v1/improve shows how far it is.")
            }
            current = Status(state: "running", stage: "starting", fraction: 0, started: Date())
        }
        let thread = Thread { [self] in run() }
        thread.name = "numeral.server.improve"
        thread.stackSize = 8 << 20
        thread.start()
        return status
    }

    private func update(_ change: (inout Status) -> Void) { lock.withLock { change(&current) } }

    /// Whether all four MNIST files are there (a look at the folder, not a read).
    static func hasMNIST(_ directory: String) -> Bool {
        MNISTSplit.allCases.allSatisfy { split in
            [split.imagesFileName, split.labelsFileName].allSatisfy { MNISTDataset.existingFile(directory: directory, baseName: $0) != nil }
        }
    }

    private func run() {
        do {
            let registry = try LogService.registry(dataDirectory: dataDirectory, location: location)
            _ = try Improver.preflight(registry: registry, settings: settings)
            update { $0.stage = "loading MNIST" }
            let train: MNISTDataset, test: MNISTDataset
            do {
                train = try MNISTDataset.load(directory: mnistDirectory, split: .train)
                test = try MNISTDataset.load(directory: mnistDirectory, split: .test)
            } catch {
                return finish(failed: "MNIST is needed to check the model does not get worse, and the server has none: run "
                    + "`numeral data fetch` on the server (or start it with NUMERAL_MNIST set).")
            }
            let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings)
            let report = try improver.run(progress: { p in
                self.update { s in
                    s.stage = p.training.map { "\(p.stage.rawValue), epoch \($0.epoch) of \($0.epochs)" } ?? p.stage.rawValue
                    s.fraction = p.fraction
                }
            }, shouldCancel: { false })
            if report.adopted { try pool.replaceModel(weightsPath: try registry.activeModelPath()) }
            update {
                $0.state = "finished"; $0.stage = nil; $0.fraction = 1; $0.finished = Date()
                $0.adopted = report.adopted; $0.candidate = report.candidateID
                $0.message = report.reason
                $0.adoption = report.adoption
            }
        } catch let error as ImprovementError {
            finish(failed: LogService.pathless(error))
        } catch {
            finish(failed: "The run failed: \(LogService.pathless(error))")
        }
    }

    private func finish(failed message: String) {
        update { $0.state = "failed"; $0.stage = nil; $0.message = message; $0.finished = Date() }
    }
}
