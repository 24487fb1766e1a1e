import Foundation
import Logging
import NIOCore
import NIOPosix
import NumeralVision
import PostgresNIO

/// The prediction log on a PostgreSQL server, with the same operations and meaning as the
/// SQLite log (`PredictionStore` forwards to it). Blocking calls for the store's callers, who
/// are never on an event loop: each waits for its query's future. One connection, used by one
/// query at a time and opened again after the server went away.
final class PostgresLog: @unchecked Sendable {
    let url: PostgresURL
    private let group: MultiThreadedEventLoopGroup
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let logger = Logger(label: "numeral.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    static let connectTimeout: Int64 = 5
    /// How long one query may go unanswered before the connection is given up as unreachable
    /// (a server that went away mid-query must not hang a kiosk or a server request).
    var queryTimeout: Int64 = 30

    init(url: PostgresURL) {
        self.url = url
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    deinit {
        if let connection {
            let closing: EventLoopFuture<Void> = connection.close()
            try? closing.wait()
        }
        try? group.syncShutdownGracefully()
    }

    // MARK: - Running queries

    /// Runs `body` on the connection, connecting first if need be. A failure of the
    /// connection itself drops it (the next call reconnects) and is reported as unreachable.
    func run<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let connection = try connected()
        do {
            return try body(connection)
        } catch let error as StoreError {
            throw error
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState] ?? ""
                if state == "23505" { throw ServerRefusal.duplicate(message) }
                throw StoreError.database(path: url.description, message: message)
            }
            drop()
            throw StoreError.unreachable(location: url.description, reason: Self.describe(error))
        } catch {
            drop()
            throw StoreError.unreachable(location: url.description, reason: Self.describe(error))
        }
    }

    /// A unique-key violation, which callers turn into their own error.
    enum ServerRefusal: Error { case duplicate(String) }

    func query(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [PostgresRandomAccessRow] {
        try answer(connection.query(query, logger: logger), on: connection).rows.map { $0.makeRandomAccess() }
    }

    func execute(_ query: PostgresQuery, on connection: PostgresConnection) throws {
        _ = try answer(connection.query(query, logger: logger), on: connection)
    }

    /// A query's answer, or `QueryTimedOut` (and the connection closed, so the next call
    /// reconnects) when none came within `queryTimeout`.
    private func answer<T>(_ future: EventLoopFuture<T>, on connection: PostgresConnection) throws -> T {
        let answered = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: answered)
        let seconds = queryTimeout
        let deadline = future.eventLoop.scheduleTask(in: .seconds(seconds)) {
            answered.fail(QueryTimedOut(seconds: seconds))
            connection.close().whenComplete { _ in }
        }
        answered.futureResult.whenComplete { _ in deadline.cancel() }
        return try answered.futureResult.wait()
    }

    /// The server did not answer a query in time.
    struct QueryTimedOut: Error, CustomStringConvertible {
        let seconds: Int64
        var description: String { "the server did not answer within \(seconds) s" }
    }

    /// BEGIN … COMMIT around `body`, rolled back if it throws.
    func transaction<T>(_ connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        try execute("BEGIN", on: connection)
        do {
            let result = try body()
            try execute("COMMIT", on: connection)
            return result
        } catch {
            _ = try? execute("ROLLBACK", on: connection)
            throw error
        }
    }

    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(Self.connectTimeout)
        do {
            let made = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger).wait()
            connection = made
            return made
        } catch {
            throw StoreError.unreachable(location: url.description, reason: Self.describe(error))
        }
    }

    private func drop() {
        if let connection {
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
        }
        connection = nil
    }

    static func describe(_ error: Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            if let underlying = psql.underlying { return String(describing: underlying) }
            return String(describing: psql.code)
        }
        return String(describing: error)
    }

    // MARK: - Schema

    /// Brings the schema up to date, once even when several processes start together, and
    /// refuses a database written by a newer Numeral.
    func migrate() throws {
        try run { c in
            try execute("SELECT pg_advisory_lock(\(PostgresSchema.migrationLock))", on: c)
            defer { _ = try? execute("SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))", on: c) }
            try execute("CREATE TABLE IF NOT EXISTS numeral_migrations (identifier TEXT PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())", on: c)
            let applied = Set(try query("SELECT identifier FROM numeral_migrations", on: c).map { try $0[0].decode(String.self) })
            let known = Set(PostgresSchema.versions.map(\.id))
            if !applied.isSubset(of: known) {
                throw StoreError.newerSchema(path: url.description, version: applied.count, supported: known.count)
            }
            for version in PostgresSchema.versions where !applied.contains(version.id) {
                try transaction(c) {
                    for statement in version.sql { try execute(PostgresQuery(unsafeSQL: statement), on: c) }
                    try execute("INSERT INTO numeral_migrations (identifier) VALUES (\(version.id))", on: c)
                }
            }
        }
    }
}
