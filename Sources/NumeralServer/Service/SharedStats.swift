import Foundation

/// The stats JSON for the live dashboards' event streams, computed once per query and log
/// change however many streams ask: sixty browsers on one dashboard cost one report per change
/// of the log, not sixty a second. Requests that arrive while it is being computed wait for
/// the same computation.
actor SharedStats {
    private struct Key: Hashable {
        let query: String
        let token: Int64
    }
    private var entries: [Key: Task<Data, Error>] = [:]
    /// Distinct queries kept for the current token.
    static let maximumEntries = 64
    /// Reports computed so far (for tests).
    private(set) var computed = 0

    func json(for query: StatsQuery, token: Int64, compute: @escaping @Sendable () async throws -> Data) async throws -> Data {
        let key = Key(query: String(describing: query), token: token)
        if let running = entries[key] { return try await running.value }
        // Answers for an older state of the log are of no use any more.
        entries = entries.filter { $0.key.token == token }
        if entries.count >= Self.maximumEntries { entries.removeAll() }
        computed += 1
        let task = Task { try await compute() }
        entries[key] = task
        do {
            return try await task.value
        } catch {
            entries[key] = nil
            throw error
        }
    }
}
