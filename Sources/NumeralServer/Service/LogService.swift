import Foundation
import NumeralImprovement
import NumeralStore

/// What viewers and admins read and change: stats and the CSV from the log, the model
/// versions, and which one is active. Opens the store per call (read-only for reads), so
/// it never holds a lock between requests and never creates a log by reading.
public final class LogService: Sendable {
    public let dataDirectory: String
    private let pool: RecognitionPool
    private let queue = DispatchQueue(label: "numeral.server.reads", qos: .utility, attributes: .concurrent)

    init(dataDirectory: String, pool: RecognitionPool) {
        self.dataDirectory = dataDirectory
        self.pool = pool
    }

    /// The same JSON as `numeral stats --json` with the same filters.
    public func statsJSON(_ query: StatsQuery) async throws -> Data {
        try await background { [dataDirectory] in
            let report: AnalyticsReport
            do {
                if let store = try Self.openForReading(dataDirectory) {
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
        try await background { [dataDirectory] in
            try LogCSV.csvText(try Self.records(in: dataDirectory, filter: query.filter, payload: true))
        }
    }

    /// A number that changes whenever the log does (for the dashboard's live refresh).
    public func changeToken() async -> Int64 {
        (try? await background { [dataDirectory] in
            guard let store = try Self.openForReading(dataDirectory) else { return 0 }
            return try store.changeToken()
        }) ?? 0
    }

    public func models() async throws -> [ModelSummary] {
        try await background { [dataDirectory] in
            do {
                let registry = try ModelRegistry(dataDirectory: dataDirectory)
                do { try registry.prepare() } catch ImprovementError.noModelAvailable {}
                return try registry.list().map(ModelSummary.init)
            } catch {
                throw ServiceError.failed("The model versions cannot be read: \(Self.pathless(error)).")
            }
        }
    }

    /// Makes model `id` the active one and serves it from the next prediction on.
    public func activate(id: String) async throws -> ModelSummary {
        guard !id.isEmpty, id.count <= 200 else { throw ServiceError.notFound("There is no model \(id.prefix(40)).") }
        return try await background { [dataDirectory, pool] in
            let registry: ModelRegistry
            do {
                registry = try ModelRegistry(dataDirectory: dataDirectory)
                _ = try? registry.prepare()
            } catch {
                throw ServiceError.failed("The model versions cannot be read: \(Self.pathless(error)).")
            }
            do {
                _ = try registry.use(id: id)
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

    static func openForReading(_ directory: String) throws -> PredictionStore? {
        let path = (directory as NSString).appendingPathComponent(PredictionStore.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try PredictionStore(directory: directory, access: .readOnly)
        } catch StoreError.needsUpgrade {
            return try PredictionStore(directory: directory)
        }
    }

    static func records(in directory: String, filter: LogFilter, payload: Bool = false) throws -> [PredictionRecord] {
        do {
            guard let store = try openForReading(directory) else { return [] }
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
