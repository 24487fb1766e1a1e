import Foundation
import NumeralImprovement
import NumeralSession
import NumeralStore

/// What viewers and admins read and change: stats and the CSV from the log, the model
/// versions, and which one is active. Opens the store per call (read-only for reads), so
/// it never holds a lock between requests and never creates a log by reading.
public final class LogService: Sendable {
    public let dataDirectory: String
    public let location: LogLocation
    private let pool: RecognitionPool
    private let queue = DispatchQueue(label: "numeral.server.reads", qos: .utility, attributes: .concurrent)

    init(dataDirectory: String, location: LogLocation, pool: RecognitionPool) {
        self.dataDirectory = dataDirectory
        self.location = location
        self.pool = pool
    }

    /// The same JSON as `numeral stats --json` with the same filters.
    public func statsJSON(_ query: StatsQuery) async throws -> Data {
        try await background { [location] in
            let report: AnalyticsReport
            do {
                if let store = try Self.openForReading(location) {
                    // Computed by the database, as `numeral stats` does: memory does not grow with the log.
                    report = try store.report(filter: query.filter, lowConfidenceThreshold: query.lowConfidence)
                } else {
                    report = Analytics.report([], filter: query.filter, lowConfidenceThreshold: query.lowConfidence)
                }
            } catch {
                throw ServiceError.failed("The log cannot be read: \(Self.pathless(error)).")
            }
            return try report.jsonData()
        }
    }

    /// The log as `numeral log export` writes it (formula cells neutralized).
    public func csv(_ query: StatsQuery) async throws -> String {
        try await background { [location] in
            try LogCSV.csvText(try Self.records(in: location, filter: query.filter, payload: true))
        }
    }

    /// A number that changes whenever the log does (for the dashboard's live refresh).
    public func changeToken() async -> Int64 {
        (try? await background { [location] in
            guard let store = try Self.openForReading(location) else { return 0 }
            return try store.changeToken()
        }) ?? 0
    }

    public func models() async throws -> [ModelSummary] {
        try await background { [dataDirectory, location] in
            do {
                let registry = try Self.registry(dataDirectory: dataDirectory, location: location)
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
        return try await background { [dataDirectory, location, pool] in
            let registry: ModelRegistry
            do {
                registry = try Self.registry(dataDirectory: dataDirectory, location: location)
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

    /// The model versions: their files in the data directory, registered in the log (a shared
    /// log's versions travel through the database to every server that uses it).
    static func registry(dataDirectory: String, location: LogLocation) throws -> ModelRegistry {
        switch location {
        case .sqlite: return try ModelRegistry(dataDirectory: dataDirectory)
        case .postgres: return try ModelRegistry(dataDirectory: dataDirectory, store: PredictionStore(location: location))
        }
    }

    /// The log for reading, or nil while a SQLite log does not exist yet (reading never creates it).
    static func openForReading(_ location: LogLocation) throws -> PredictionStore? {
        guard case .sqlite(let directory) = location else {
            return try PredictionStore(location: location)
        }
        let path = (directory as NSString).appendingPathComponent(PredictionStore.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try PredictionStore(directory: directory, access: .readOnly)
        } catch StoreError.needsUpgrade {
            return try PredictionStore(directory: directory)
        }
    }

    static func records(in location: LogLocation, filter: LogFilter, payload: Bool = false) throws -> [PredictionRecord] {
        do {
            guard let store = try openForReading(location) else { return [] }
            return try store.read(filter: filter, includePayload: payload).records
        } catch {
            throw ServiceError.failed("The log cannot be read: \(pathless(error)).")
        }
    }

    /// An error's message with anything that looks like a file path cut out.
    static func pathless(_ error: Error) -> String {
        String(describing: error).split(separator: " ").map { word in
            word.contains("/") ? "(path)" : String(word)
        }.joined(separator: " ").prefix(300).description
    }
}
