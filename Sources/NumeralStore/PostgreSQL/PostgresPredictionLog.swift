import Foundation
import PostgresNIO

/// The prediction log on a PostgreSQL server shared by a fleet, with the same operations and
/// meaning as the SQLite log. Its queries run on the process's connection pool for the URL
/// (`PostgresConnectionPool.shared(for:)`): every store a process opens on the same database
/// shares those connections, and opening a store again connects no more.
public final class PostgresPredictionLog: PredictionLog {
    public let url: PostgresURL
    public let access: PredictionStore.Access
    let pool: PostgresConnectionPool

    public var location: LogLocation { .postgres(url) }
    public var path: String { url.description }
    public var dialect: AnalyticsDialect { .postgres }

    private init(url: PostgresURL, access: PredictionStore.Access) {
        self.url = url
        self.access = access
        pool = PostgresConnectionPool.shared(for: url)
    }

    /// Opens the shared log. Read-write brings its schema up to date (once even when several
    /// processes start together); read-only never changes it, and refuses a database without the
    /// log or behind this program (`.needsUpgrade`) or ahead of it (`.newerSchema`).
    public static func open(url: PostgresURL, access: PredictionStore.Access) async throws -> PostgresPredictionLog {
        let log = PostgresPredictionLog(url: url, access: access)
        switch access {
        case .readWrite: try await log.migrate()
        case .readOnly: try await log.checkSchema()
        }
        return log
    }

    // MARK: - Schema

    /// Brings the schema up to date under an advisory lock, and refuses a database written by a
    /// newer Numeral.
    func migrate() async throws {
        let path = self.path
        try await pool.withConnection { [pool] c in
            try await pool.execute("SELECT pg_advisory_lock(\(PostgresSchema.migrationLock))", on: c)
            do {
                try await pool.execute("CREATE TABLE IF NOT EXISTS numeral_migrations (identifier TEXT PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())", on: c)
                let applied = Set(try await pool.query("SELECT identifier FROM numeral_migrations", on: c).map { try $0[0].decode(String.self) })
                let known = Set(PostgresSchema.versions.map(\.id))
                if !applied.isSubset(of: known) {
                    throw StoreError.newerSchema(path: path, version: applied.count, supported: known.count)
                }
                for version in PostgresSchema.versions where !applied.contains(version.id) {
                    try await pool.transaction(c) {
                        for statement in version.sql { try await pool.execute(PostgresQuery(unsafeSQL: statement), on: c) }
                        try await pool.execute("INSERT INTO numeral_migrations (identifier) VALUES (\(version.id))", on: c)
                    }
                }
            } catch {
                _ = try? await pool.execute("SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))", on: c)
                throw error
            }
            try await pool.execute("SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))", on: c)
        }
    }

    /// What a read-only open checks, writing nothing: the migrations applied are exactly this
    /// program's.
    func checkSchema() async throws {
        let path = self.path
        let applied: Set<String> = try await pool.withConnection { [pool] c in
            let exists = try await pool.query("SELECT to_regclass('numeral_migrations') IS NOT NULL", on: c)
            guard try exists.first?[0].decode(Bool.self) == true else { return [] }
            return Set(try await pool.query("SELECT identifier FROM numeral_migrations", on: c).map { try $0[0].decode(String.self) })
        }
        let known = Set(PostgresSchema.versions.map(\.id))
        if !applied.isSubset(of: known) {
            throw StoreError.newerSchema(path: path, version: applied.count, supported: known.count)
        }
        if applied != known { throw StoreError.needsUpgrade(path: path) }
    }

    /// Connections this process's pool for the database has opened so far.
    public func connectionsOpened() async -> Int { await pool.connectionsOpened }
}
