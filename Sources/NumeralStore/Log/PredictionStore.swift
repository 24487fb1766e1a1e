import Foundation

/// The prediction and feedback log, on whichever backend `location` names: one
/// `PredictionLog` (`SQLitePredictionLog` or `PostgresPredictionLog`) behind the blocking API
/// the command line, the model registry and the spool use. Async code (the server, the
/// dashboard's loads) awaits `log` directly; the blocking calls here run the same operations
/// to completion (`AsyncBridge`) and must not be made from a task.
///
/// Thread-safe: both backends are.
public final class PredictionStore: Sendable {
    public enum Access: Sendable {
        case readWrite
        /// Never writes, not even to upgrade the schema; for stats and dashboards that
        /// must not interfere with the writer, or files the user may not modify.
        case readOnly
    }

    public static let fileName = SQLitePredictionLog.fileName
    public static let busyTimeout = SQLitePredictionLog.busyTimeout
    /// Rows per import transaction: large enough that a 1M-row import is not dominated by
    /// fsyncs, small enough that the app, waiting for the write lock, waits a moment at most.
    public static let importChunkSize = 2_000
    /// Timeline counts are made per 15-minute UTC slot: every time zone's hours and days are
    /// whole numbers of them.
    static let slotSeconds = 900.0
    /// Up to this many rows, the analytics read percentiles exactly along their indexes; beyond,
    /// from the roll-up histograms.
    static let exactPercentileLimit = 50_000

    /// The backend every call goes to.
    public let log: any PredictionLog

    /// The SQLite file, or for a shared log its URL without the password.
    public var path: String { log.path }
    public var access: Access { log.access }
    public var location: LogLocation { log.location }
    /// Whether this is a shared PostgreSQL log.
    public var isShared: Bool { log.location.isShared }

    public init(log: any PredictionLog) {
        self.log = log
    }

    /// Opens the log at `location`: SQLite in a data directory (created if needed, unless
    /// read-only), or a shared PostgreSQL database. Read-write brings the schema up to date;
    /// read-only never writes and refuses a schema older (`.needsUpgrade`) or newer
    /// (`.newerSchema`) than this program's.
    public static func open(_ location: LogLocation, access: Access = .readWrite) async throws -> PredictionStore {
        switch location {
        case .sqlite(let directory):
            return try PredictionStore(directory: directory, access: access)
        case .postgres(let url):
            return PredictionStore(log: try await PostgresPredictionLog.open(url: url, access: access))
        }
    }

    /// `open(_:access:)` for callers on a thread of their own.
    public convenience init(location: LogLocation, access: Access = .readWrite) throws {
        let log = try AsyncBridge.run { try await PredictionStore.open(location, access: access).log }
        self.init(log: log)
    }

    /// Opens (creating if needed, unless read-only) the SQLite log at `path` and brings its
    /// schema up to date.
    public convenience init(path: String, access: Access = .readWrite) throws {
        self.init(log: try SQLitePredictionLog(path: path, access: access))
    }

    /// Opens `<directory>/numeral.sqlite`, creating the directory when writing.
    public convenience init(directory: String, access: Access = .readWrite) throws {
        if access == .readWrite { try Self.createDirectory(directory) }
        try self.init(path: (directory as NSString).appendingPathComponent(Self.fileName), access: access)
    }

    /// The one policy for reading a log: read-only, so reading never creates, locks or changes
    /// it; a log written by an older Numeral is upgraded once (opened read-write) rather than
    /// shown as broken; nil when a SQLite log does not exist yet. Used by `numeral stats` and
    /// `log export`, the dashboard and the server.
    public static func openForReading(_ location: LogLocation) async throws -> PredictionStore? {
        do {
            return try await open(location, access: .readOnly)
        } catch StoreError.missingDatabase where !location.isShared {
            return nil
        } catch StoreError.needsUpgrade {
            return try await open(location, access: .readWrite)
        }
    }

    /// `openForReading(_:)` for callers on a thread of their own.
    public static func openForReading(location: LogLocation) throws -> PredictionStore? {
        try AsyncBridge.run { try await openForReading(location) }
    }

    /// `$XDG_DATA_HOME/numeral`, or `~/.local/share/numeral` when that is unset or relative
    /// (the XDG spec says relative values are invalid and must be ignored).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("numeral")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/numeral")
    }

    /// Throws the error the log would refuse `entry` with for good (an invalid record or value),
    /// before any database is asked.
    public static func check(_ entry: SpoolEntry) throws {
        let uid = entry.uid
        guard !uid.isEmpty, uid.count <= 128 else { throw StoreError.invalidRecord("the record id \"\(uid.prefix(40))\" is empty or too long") }
        switch entry {
        case .upsert(let record): try RecordValidation.validate(record)
        case .feedback(_, let actual): if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
        }
    }

    private static func createDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError.directoryUnavailable(path: directory, reason: "it is a file, not a directory")
            }
            return
        }
        do {
            // Only its owner may list or enter a data directory Numeral makes.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.directoryUnavailable(path: directory, reason: "it cannot be created (\(error.localizedDescription))")
        }
    }
}
