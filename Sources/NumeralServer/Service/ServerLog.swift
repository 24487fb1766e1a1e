import NumeralStore

/// The server's log, opened on first use and kept for the life of the process: every stats
/// read, CSV export, model change and dashboard tick reuses it instead of opening the log again
/// (on PostgreSQL: no new connection, no migration step per tick). Reading follows the one
/// policy, `PredictionStore.openForReading`; a SQLite log that does not exist yet is looked for
/// again at the next call, and a failed open is tried again then.
actor ServerLog {
    let location: LogLocation
    private var reading: PredictionStore?
    private var writing: PredictionStore?

    init(location: LogLocation) { self.location = location }

    /// The log for reading, or nil while a SQLite log does not exist yet (reading never creates it).
    func forReading() async throws -> PredictionStore? {
        if let store = reading ?? writing { return store }
        let opened = try await PredictionStore.openForReading(location)
        if reading == nil { reading = opened }
        return reading ?? opened
    }

    /// The log for changes (model versions), opened read-write once.
    func forWriting() async throws -> PredictionStore {
        if let writing { return writing }
        let opened = try await PredictionStore.open(location, access: .readWrite)
        if writing == nil { writing = opened }
        return writing ?? opened
    }
}
