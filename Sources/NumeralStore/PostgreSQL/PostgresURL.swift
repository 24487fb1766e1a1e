import Foundation

/// Where a shared log lives on a PostgreSQL server: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
/// The password comes from the URL, else `$PGPASSWORD`, else the `PGPASSFILE` (or `~/.pgpass`)
/// line that matches; it is never part of `description`, which is what messages print.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    /// Whether `text` names a PostgreSQL log rather than a file or folder.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func refuse(_ reason: String) -> StoreError {
            .invalidLocation(text: Self.redact(text), reason: reason)
        }
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw refuse("it is not a URL like postgresql://USER@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw refuse("it names no host") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw refuse("it names no database (…/DATABASE at the end)") }
        for item in components.queryItems ?? [] where item.name == "sslmode" && !["disable", "prefer", "allow"].contains(item.value ?? "") {
            throw refuse("sslmode=\(item.value ?? "") is not supported: Numeral connects without TLS, for servers on the same machine or a private network")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.database = database
        self.user = components.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        guard (1...65_535).contains(port) else { throw refuse("port \(port) is not 1...65535") }
        password = components.password?.removingPercentEncoding
            ?? environment["PGPASSWORD"]
            ?? Self.passwordFromFile(environment: environment, host: host, port: port, database: database, user: user)
    }

    /// The URL without its password: safe to print.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    static func redact(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = nil
        return components.string ?? "postgresql://…"
    }

    /// `host:port:database:user:password` lines, `*` matching anything (libpq's format).
    static func passwordFromFile(environment: [String: String], host: String, port: Int, database: String, user: String) -> String? {
        let path = environment["PGPASSFILE"]
            ?? environment["HOME"].map { ($0 as NSString).appendingPathComponent(".pgpass") }
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
