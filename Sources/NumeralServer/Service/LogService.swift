import Foundation
import NumeralImprovement
import NumeralSession
import NumeralStore

/// What viewers and admins read and change: stats and the CSV from the log, the model
/// versions, and which one is active. The log is opened once (`ServerLog`) and its reads are
/// awaited, never blocking a thread; SQLite reads hold no lock between requests, and reading
/// never creates a log.
public final class LogService: Sendable {
    public let dataDirectory: String
    public let location: LogLocation
    private let pool: RecognitionPool
    private let log: ServerLog
    private let queue = DispatchQueue(label: "numeral.server.reads", qos: .utility, attributes: .concurrent)
    /// The event streams' stats, computed once per query and change of the log.
    let sharedStats = SharedStats()
    /// Live event streams open at once, at most.
    let streams = StreamLimit(maximum: LogService.maximumStreams)
    public static let maximumStreams = 64

    init(dataDirectory: String, location: LogLocation, pool: RecognitionPool) {
        self.dataDirectory = dataDirectory
        self.location = location
        self.pool = pool
        log = ServerLog(location: location)
    }

    /// `statsJSON` for an event stream at the log's state `token`: computed once for every
    /// stream showing the same query.
    func sharedStatsJSON(_ query: StatsQuery, token: Int64) async throws -> Data {
        try await sharedStats.json(for: query, token: token) { [self] in try await statsJSON(query) }
    }

    /// The same JSON as `numeral stats --json` with the same filters.
    public func statsJSON(_ query: StatsQuery) async throws -> Data {
        let report: AnalyticsReport
        do {
            if let store = try await log.forReading() {
                // Computed by the database, as `numeral stats` does: memory does not grow with the log.
                report = try await store.log.report(filter: query.filter, lowConfidenceThreshold: query.lowConfidence)
            } else {
                report = Analytics.report([], filter: query.filter, lowConfidenceThreshold: query.lowConfidence)
            }
        } catch {
            throw Self.readFailure(error)
        }
        return try report.jsonData()
    }

    /// The log as `numeral log export` writes it (formula cells neutralized), a page of rows at
    /// a time to `write`: memory stays that of one page however long the log is. The log is
    /// opened before the first byte, so a log that cannot be read is an error status, not a
    /// cut-off file.
    public func csvPages(_ query: StatsQuery) async throws -> (@Sendable (_ write: (String) async throws -> Void) async throws -> Void) {
        let store: PredictionStore?
        do {
            store = try await log.forReading()
        } catch {
            throw Self.readFailure(error)
        }
        return { [self] write in
            try await write(LogCSV.header)
            guard let store else { return }
            try await store.log.forEachPage(filter: query.filter) { page in
                try await write(try await background { try LogCSV.rows(page) })
            }
        }
    }

    /// The whole CSV as one text (tests, small logs).
    public func csv(_ query: StatsQuery) async throws -> String {
        let records: [PredictionRecord]
        do {
            records = try await log.forReading()?.log.read(filter: query.filter, includePayload: true).records ?? []
        } catch {
            throw Self.readFailure(error)
        }
        return try await background { try LogCSV.csvText(records) }
    }

    /// A number that changes whenever the log does (for the dashboard's live refresh).
    public func changeToken() async -> Int64 {
        (try? await log.forReading()?.log.changeToken()) ?? 0
    }

    public func models() async throws -> [ModelSummary] {
        let shared = try? await sharedStore()
        return try await background { [dataDirectory, location] in
            do {
                let registry = try Self.registry(dataDirectory: dataDirectory, location: location, store: shared)
                do { try registry.prepare() } catch ImprovementError.noModelAvailable {}
                return try registry.list().map(ModelSummary.init)
            } catch {
                throw ServiceError.failed("The model versions cannot be read: \(Self.pathless(error)).")
            }
        }
    }

    /// Makes model `id` the active one and serves it from the next prediction on. A version the
    /// adoption guard advises against (kept aside by improve, or below the shipped model's MNIST
    /// floor) is refused with `409` and the reason unless `force`.
    public func activate(id: String, force: Bool = false) async throws -> ModelSummary {
        guard !id.isEmpty, id.count <= 200 else { throw ServiceError.notFound("There is no model \(id.prefix(40)).") }
        let shared = try? await sharedStore()
        return try await background { [dataDirectory, location, pool] in
            let registry: ModelRegistry
            do {
                registry = try Self.registry(dataDirectory: dataDirectory, location: location, store: shared)
                _ = try? registry.prepare()
            } catch {
                throw ServiceError.failed("The model versions cannot be read: \(Self.pathless(error)).")
            }
            do {
                _ = try registry.use(id: id, force: force)
            } catch let ImprovementError.activationRefused(_, reasons) {
                throw ServiceError.conflict("Model \(id) is not made active: \(reasons.joined(separator: "; ")). "
                    + "POST /api/v1/models/\(id)/activate?force=true activates it anyway.")
            } catch ImprovementError.unknownModel, ImprovementError.unsafeModelID, StoreError.unknownModel {
                throw ServiceError.notFound("There is no model \(id); GET /api/v1/models lists them.")
            } catch ImprovementError.modelFileMissing {
                throw ServiceError.conflict("Model \(id) is registered but its weights are missing; it cannot be used.")
            }
            do {
                try pool.replaceModel(weightsPath: try registry.activeModelPath())
            } catch {
                throw ServiceError.failed("Model \(id) is now active but could not be loaded: \(Self.pathless(error)).")
            }
            guard let entry = try registry.list().first(where: { $0.id == id }) else {
                throw ServiceError.notFound("There is no model \(id).")
            }
            return ModelSummary(entry)
        }
    }

    func background<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// A shared log's store, opened once for the model versions; nil for SQLite, whose
    /// registry opens its own file per call.
    private func sharedStore() async throws -> PredictionStore? {
        guard location.isShared else { return nil }
        return try await log.forWriting()
    }

    /// The model versions: their files in the data directory, registered in the log (a shared
    /// log's versions travel through the database to every server that uses it). `store`: the
    /// shared log already open, if any.
    static func registry(dataDirectory: String, location: LogLocation, store: PredictionStore? = nil) throws -> ModelRegistry {
        switch location {
        case .sqlite: return try ModelRegistry(dataDirectory: dataDirectory)
        case .postgres: return try ModelRegistry(dataDirectory: dataDirectory, store: store ?? PredictionStore(location: location))
        }
    }

    /// What a client is told when the log cannot be read: a database that is away for now is a
    /// 503 in this program's own words (no connection internals); anything else a 500.
    static func readFailure(_ error: Error) -> ServiceError {
        if let store = error as? StoreError, store.isTransient {
            return .unavailable("The log's database cannot be reached right now. Predictions are still answered and kept on "
                                + "this server until it is back; try this again later.")
        }
        return .failed("The log cannot be read: \(pathless(error)).")
    }

    /// An error's message with anything that looks like a file path cut out.
    static func pathless(_ error: Error) -> String {
        String(describing: error).split(separator: " ").map { word in
            word.contains("/") ? "(path)" : String(word)
        }.joined(separator: " ").prefix(300).description
    }
}
