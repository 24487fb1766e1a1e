import Foundation

/// One backend of the prediction log: the embedded SQLite file (`SQLitePredictionLog`) or a
/// shared PostgreSQL database (`PostgresPredictionLog`). Each implements every operation in its
/// own SQL, the way GRDB puts `DatabaseQueue` and `DatabasePool` behind `DatabaseReader` and
/// `DatabaseWriter`; what does not depend on the database — validating records and values,
/// the report computed from aggregate rows, the CSV, the spool — lives once above this
/// protocol, in `PredictionStore` and its callers.
///
/// Calls are asynchronous: a backend suspends while its database works (GRDB's writer and
/// reader queues, PostgreSQL's connection pool on the process's one event-loop group) and
/// never blocks a thread waiting for a future.
///
/// Inputs reach a backend validated (`RecordValidation`, `PredictionStore.check`); a backend
/// reports its failures as `StoreError`s naming its file or URL.
public protocol PredictionLog: AnyObject, Sendable {
    /// Where the log is.
    var location: LogLocation { get }
    /// The SQLite file, or for a shared log its URL without the password: what messages show.
    var path: String { get }
    var access: PredictionStore.Access { get }
    /// The SQL the shared analytics (`PredictionStore.report`) run on this database.
    var dialect: AnalyticsDialect { get }

    // MARK: Writing (validated input)

    /// Appends `record` (its `id` ignored) in its own durable transaction; returns the new id.
    func insert(_ record: PredictionRecord) async throws -> Int64

    /// Writes `entries` (each already accepted by `PredictionStore.check`) in order in ONE
    /// transaction: upserts by uid (inserted the first time; later the prediction, its details
    /// and input replaced, the timestamp and feedback kept) and feedback by uid. Upserts give
    /// their row id, feedback -1; feedback for an unknown uid fails alone with `.unknownRecord`.
    /// Any other failure rolls the whole transaction back and is thrown.
    ///
    /// Roll-up tables (`RollupSchema`) follow in the same transaction by the database's own triggers.
    func commit(_ entries: [SpoolEntry]) async throws -> [Result<Int64, StoreError>]

    /// Sets (nil: removes) the feedback of the row with `id`; `.unknownPrediction` if none.
    func updateActual(id: Int64, actual: String?) async throws

    /// Adds `records` skipping those already logged (same uid; without one, same time, input type,
    /// prediction and confidence, also earlier in `records`), one transaction per `chunkSize`
    /// records; `progress` gets the number handled after each chunk.
    func importChecked(_ records: [PredictionRecord], chunkSize: Int,
                       progress: (@Sendable (Int) -> Void)?) async throws -> (imported: Int, duplicates: Int)

    // MARK: Reading

    /// The rows `selection` and `filter` select, in the selection's order, at most `limit`;
    /// rows that cannot be read back are skipped and named.
    func read(_ selection: RecordSelection, filter: LogFilter, limit: Int?, includePayload: Bool) async throws -> LogRead
    func count(filter: LogFilter) async throws -> Int
    /// A number that changes whenever any process changes predictions or models.
    func changeToken() async throws -> Int64
    /// The rows of an aggregate query whose `{where}` is replaced by `filter`'s conditions and
    /// `extra` (SQL in this backend's dialect).
    func aggregate(_ template: String, filter: LogFilter, extra: [String]) async throws -> [AggregateRow]

    // MARK: Model versions

    /// Registers `model` (validated); if it is active it replaces the active one.
    func insertModel(_ model: ModelVersion) async throws
    func models() async throws -> [ModelVersion]
    func setActiveModel(id: String) async throws
    func activeModel() async throws -> ModelVersion?
    /// Keeps a version's weights and card with the log where machines share it; SQLite keeps
    /// versions beside the log and stores nothing.
    func storeModelFiles(id: String, weights: Data, card: Data) async throws
    func modelFiles(id: String) async throws -> (weights: Data, card: Data)?
}
