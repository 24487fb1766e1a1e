import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The connections of one process to one PostgreSQL database: opened when needed up to
/// `maximumConnections`, kept open between calls and reused, dropped when they fail. One per
/// URL per process (`shared(for:)`), all on the process's one event-loop group, so every store,
/// request and dashboard tick of a process shares them instead of connecting again.
///
/// Not PostgresNIO's `PostgresClient`: its pool retries an unreachable server without end and
/// lets a lease wait forever (vapor/postgres-nio#565, #489), while a kiosk must learn within
/// `connectTimeout` that the database is away so its records go to the spool.
actor PostgresConnectionPool {
    let url: PostgresURL
    let maximumConnections: Int
    /// How long connecting may take before the server counts as unreachable.
    static let connectTimeout: Int64 = 5
    /// How long one query may go unanswered before its connection is given up as unreachable
    /// (a server that went away mid-query must not hang a kiosk or a server request).
    private(set) var queryTimeout: Int64 = 30
    /// How long one statement of a write may go unanswered: a write that waits longer goes to
    /// the caller's spool (`DurablePredictionLog`) rather than holding a kiosk or a request for
    /// the query timeout. Replaying it is safe: records are upserted by uid, feedback is a set.
    private(set) var writeTimeout: Int64 = 2

    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var nextID = 1
    /// Connections made so far, for tests and benchmarks.
    private(set) var connectionsOpened = 0
    private let logger = Logger(label: "numeral.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(url: PostgresURL, maximumConnections: Int = 4) {
        self.url = url
        self.maximumConnections = max(1, maximumConnections)
    }

    /// The process's pools, by URL and password.
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var pools: [String: PostgresConnectionPool] = [:]
    }
    private static let registry = Registry()

    /// The process's pool for `url` (the same user, password, host, port and database).
    static func shared(for url: PostgresURL) -> PostgresConnectionPool {
        let key = "\(url.description)\u{0}\(url.password ?? "")"
        return registry.lock.withLock {
            if let pool = registry.pools[key] { return pool }
            let pool = PostgresConnectionPool(url: url)
            registry.pools[key] = pool
            return pool
        }
    }

    func setQueryTimeout(_ seconds: Int64) { queryTimeout = max(1, seconds) }
    func setWriteTimeout(_ seconds: Int64) { writeTimeout = max(1, seconds) }

    /// A pool made for one use (the process's shared pools live as long as it) closes what it kept.
    deinit {
        for connection in idle {
            // Kept alive by the callback until the channel is closed.
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    // MARK: - Leasing

    /// Runs `body` with a connection of its own, connecting first if none is idle. A failure of
    /// the connection itself (not an error the server answered with) closes it and is reported
    /// as `.unreachable`; an error the server answered with as `.database` (or `Refusal`).
    nonisolated func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await release(connection, broken: false)
            return result
        } catch {
            let mapped = mapError(error)
            if case StoreError.unreachable = mapped { try? await connection.close() }
            await release(connection, broken: connection.isClosed || isUnreachable(mapped))
            throw mapped
        }
    }

    private nonisolated func isUnreachable(_ error: Error) -> Bool {
        if case StoreError.unreachable = error { return true }
        return false
    }

    private func lease() async throws -> PostgresConnection {
        while true {
            while let connection = idle.popLast() {
                if !connection.isClosed { return connection }
                open -= 1
            }
            if open < maximumConnections {
                open += 1
                do {
                    return try await connect()
                } catch {
                    open -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    private func release(_ connection: PostgresConnection, broken: Bool) {
        if broken || connection.isClosed {
            open -= 1
        } else {
            idle.append(connection)
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    private func connect() async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(Self.connectTimeout)
        let id = nextID
        nextID += 1
        do {
            // The connect timeout covers the TCP handshake only; a frozen server accepts the
            // connection in its kernel and never answers the start-up, so the whole start-up
            // runs under the same deadline.
            let logger = self.logger, configuration = configuration
            let connection = try await Deadline.race(seconds: Self.connectTimeout, discardingLate: { let _: EventLoopFuture<Void> = $0.close() }) {
                try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                     configuration: configuration, id: id, logger: logger)
            }
            connectionsOpened += 1
            return connection
        } catch {
            throw StoreError.unreachable(location: url.description, reason: Self.describe(error))
        }
    }

    // MARK: - Queries

    /// The rows of `query`, or `.unreachable` (and the connection closed) when no answer came
    /// within `timeout` seconds (default `queryTimeout`).
    ///
    /// The deadline does not wait for the query to end: a server that stopped answering (frozen,
    /// or behind a lock) may keep a query unfinished however it is cancelled, so the caller is
    /// answered at the deadline, the connection is closed, and the query's own task ends
    /// whenever the closed connection fails it.
    nonisolated func query(_ query: PostgresQuery, on connection: PostgresConnection,
                           timeout: Int64? = nil) async throws -> [PostgresRandomAccessRow] {
        let configured = await queryTimeout
        let seconds = max(1, timeout ?? configured)
        let logger = self.logger
        return try await Deadline.race(seconds: seconds, onExpiry: { let _: EventLoopFuture<Void> = connection.close() }) {
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
            return rows
        }
    }

    nonisolated func execute(_ query: PostgresQuery, on connection: PostgresConnection, timeout: Int64? = nil) async throws {
        _ = try await self.query(query, on: connection, timeout: timeout)
    }

    /// BEGIN … COMMIT around `body`, rolled back if it throws.
    /// `timeout` bounds BEGIN and COMMIT (default `queryTimeout`).
    nonisolated func transaction<T: Sendable>(_ connection: PostgresConnection, timeout: Int64? = nil,
                                              _ body: () async throws -> T) async throws -> T {
        try await execute("BEGIN", on: connection, timeout: timeout)
        do {
            let result = try await body()
            try await execute("COMMIT", on: connection, timeout: timeout)
            return result
        } catch {
            // After a deadline the connection is being closed (the server rolls back what it
            // leaves unfinished); a ROLLBACK sent on it would only wait out another deadline.
            if !(error is Deadline.Exceeded), !connection.isClosed {
                _ = try? await execute("ROLLBACK", on: connection, timeout: timeout)
            }
            throw error
        }
    }

    // MARK: - Errors


    /// A unique-key violation, which callers turn into their own error.
    enum Refusal: Error { case duplicate(String) }

    private nonisolated func mapError(_ error: Error) -> Error {
        switch error {
        case is StoreError, is Refusal, is CancellationError:
            return error
        case let psql as PSQLError:
            if let message = psql.serverInfo?[.message] {
                if psql.serverInfo?[.sqlState] == "23505" { return Refusal.duplicate(message) }
                return StoreError.database(path: url.description, message: message)
            }
            return StoreError.unreachable(location: url.description, reason: Self.describe(error))
        default:
            return StoreError.unreachable(location: url.description, reason: Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            if let underlying = psql.underlying { return String(describing: underlying) }
            return String(describing: psql.code)
        }
        return String(describing: error)
    }
}
