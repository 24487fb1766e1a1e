import Foundation

/// Where the prediction log lives: the embedded SQLite file in a data directory (one
/// machine), or a PostgreSQL database shared by a fleet of kiosks and servers.
public enum LogLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(directory: String)
    case postgres(PostgresURL)

    /// `--log` first, then `$NUMERAL_LOG`, then the config file's `"log"`, else the SQLite
    /// log in `dataDirectory`. A value is a `postgresql://` URL or a directory.
    public static func resolve(explicit: String?, configured: String? = nil, dataDirectory: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LogLocation {
        let chosen = [explicit, environment["NUMERAL_LOG"], configured].lazy
            .compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        guard let chosen else { return .sqlite(directory: dataDirectory) }
        if PostgresURL.isPostgres(chosen) { return .postgres(try PostgresURL(chosen, environment: environment)) }
        if chosen.contains("://") {
            throw StoreError.invalidLocation(text: PostgresURL.redact(chosen), reason: "only postgresql:// URLs and directories are logs")
        }
        return .sqlite(directory: chosen)
    }

    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The SQLite file or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let directory): return (directory as NSString).appendingPathComponent(PredictionStore.fileName)
        case .postgres(let url): return url.description
        }
    }
}
