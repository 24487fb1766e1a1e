import Foundation
import GRDB

/// The prediction and feedback log: one SQLite file that the app, the dashboard and the
/// command line use at the same time.
///
/// Durability: WAL journal with `synchronous = FULL`, and every `record` / `setActual` is its
/// own transaction. With NORMAL, WAL survives a crashed process but a power cut can drop
/// the last commits; FULL syncs the WAL on every commit, so a prediction or correction the
/// user has seen acknowledged survives that too. The price is one fsync per commit,
/// a few milliseconds at human drawing speed, so call `record` off the UI thread; a server
/// commits many clients' records at once (`write(batch:)`, `GroupCommitWriter`).
///
/// Thread-safe: a `DatabasePool` serializes writes and runs reads concurrently, and other
/// processes are waited for up to `busyTimeout` before `StoreError.locked`.
public final class PredictionStore: Sendable {
    public enum Access: Sendable {
        case readWrite
        /// Never writes, not even to upgrade the schema; for stats and dashboards that
        /// must not interfere with the writer, or files the user may not modify.
        case readOnly
    }

    public static let fileName = "numeral.sqlite"
    public static let busyTimeout: TimeInterval = 2

    /// The SQLite file, or for a shared log its URL without the password.
    public let path: String
    public let access: Access
    /// The SQLite connection pool; nil when the log is on PostgreSQL.
    let pool: DatabasePool!
    /// The PostgreSQL log this store forwards to, or nil for SQLite.
    let postgres: PostgresLog?

    /// Whether this is a shared PostgreSQL log.
    public var isShared: Bool { postgres != nil }

    /// Opens the log at `location`: SQLite in a data directory, or a shared PostgreSQL
    /// database (its schema brought up to date under an advisory lock, unless read-only).
    public convenience init(location: LogLocation, access: Access = .readWrite) throws {
        switch location {
        case .sqlite(let directory):
            try self.init(directory: directory, access: access)
        case .postgres(let url):
            try self.init(postgres: url, access: access)
        }
    }

    private init(postgres url: PostgresURL, access: Access) throws {
        path = url.description
        self.access = access
        pool = nil
        let log = PostgresLog(url: url)
        postgres = log
        if access == .readWrite { try log.migrate() }
    }

    /// Opens (creating if needed, unless read-only) the log at `path` and brings its schema
    /// up to date.
    public init(path: String, access: Access = .readWrite) throws {
        self.path = path
        self.access = access
        try Self.checkLocation(path: path, access: access)
        var configuration = Configuration()
        configuration.label = "NumeralStore"
        configuration.readonly = access == .readOnly
        configuration.busyMode = .timeout(Self.busyTimeout)
        postgres = nil
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            switch access {
            case .readWrite:
                try pool.writeWithoutTransaction { db in
                    // After GRDB's WAL setup, which chooses NORMAL: see the type's comment.
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                try Self.refuseNewerSchema(pool, path: path)
                try StoreSchema.migrator.migrate(pool)
            case .readOnly:
                let upToDate = try pool.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
                guard upToDate else { throw StoreError.needsUpgrade(path: path) }
            }
        } catch {
            throw StoreError.wrap(error, path: path, busyTimeout: Self.busyTimeout)
        }
    }

    /// Opens `<directory>/numeral.sqlite`, creating the directory when writing.
    public convenience init(directory: String, access: Access = .readWrite) throws {
        if access == .readWrite { try Self.createDirectory(directory) }
        try self.init(path: (directory as NSString).appendingPathComponent(Self.fileName), access: access)
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

    /// Runs `body` and reports failures as `StoreError`s naming this file.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreError.wrap(error, path: path, busyTimeout: Self.busyTimeout)
        }
    }

    // MARK: - Opening checks

    /// A log written by a newer Numeral must not be migrated or written by this one.
    private static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws {
        let (version, superseded) = try pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
             try StoreSchema.migrator.hasBeenSuperseded(db))
        }
        if version > StoreSchema.userVersion || superseded {
            throw StoreError.newerSchema(path: path, version: max(version, StoreSchema.userVersion + 1),
                                         supported: StoreSchema.userVersion)
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
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.directoryUnavailable(path: directory, reason: "it cannot be created (\(error.localizedDescription))")
        }
    }

    /// Catches what SQLite would report vaguely ("unable to open database file") or only
    /// at the first write, so the user gets the precise reason up front.
    private static func checkLocation(path: String, access: Access) throws {
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            if access == .readOnly { throw StoreError.missingDatabase(path: path) }
            throw StoreError.directoryUnavailable(path: directory, reason: "it does not exist or is not a directory")
        }
        let exists = fileManager.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue {
            throw StoreError.directoryUnavailable(path: path, reason: "the database path is a directory")
        }
        switch access {
        case .readOnly:
            guard exists else { throw StoreError.missingDatabase(path: path) }
        case .readWrite:
            // WAL mode creates -wal and -shm files beside the database, so the directory
            // must be writable too.
            if exists, !fileManager.isWritableFile(atPath: path) { throw StoreError.readOnly(path: path) }
            if !fileManager.isWritableFile(atPath: directory) { throw StoreError.readOnly(path: directory) }
        }
    }
}
