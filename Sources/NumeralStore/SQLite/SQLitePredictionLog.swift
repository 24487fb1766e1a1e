import Foundation
import GRDB

/// The prediction log in one SQLite file that the app, the dashboard and the command line use
/// at the same time.
///
/// Durability: WAL journal with `synchronous = FULL`, and every write is its own transaction.
/// With NORMAL, WAL survives a crashed process but a power cut can drop the last commits; FULL
/// syncs the WAL on every commit, so a prediction or correction the user has seen acknowledged
/// survives that too. The price is one fsync per commit; a server commits many clients'
/// records at once (`commit(_:)`, `GroupCommitWriter`).
///
/// A `DatabasePool` serializes writes on its writer queue and runs reads concurrently on its
/// reader queues; calls suspend while it works. Other processes are waited for up to
/// `busyTimeout` before `StoreError.locked`.
public final class SQLitePredictionLog: PredictionLog {
    public static let fileName = "numeral.sqlite"
    public static let busyTimeout: TimeInterval = 2

    public let path: String
    public let access: PredictionStore.Access
    public var location: LogLocation {
        let directory = (path as NSString).deletingLastPathComponent
        return .sqlite(directory: directory.isEmpty ? "." : directory)
    }
    public var dialect: AnalyticsDialect { .sqlite }
    let pool: DatabasePool

    /// Opens the log at `path`. Read-write creates it if needed and brings its schema up to
    /// date; read-only never writes, and refuses a log that is missing (`.missingDatabase`),
    /// older than this program (`.needsUpgrade`) or newer (`.newerSchema`).
    public init(path: String, access: PredictionStore.Access) throws {
        self.path = path
        self.access = access
        try Self.checkLocation(path: path, access: access)
        var configuration = Configuration()
        configuration.label = "NumeralStore"
        configuration.readonly = access == .readOnly
        configuration.busyMode = .timeout(Self.busyTimeout)
        if access == .readWrite {
            // A new log is readable by its owner only (the WAL and shared-memory files SQLite
            // makes beside it take the same mode): it holds what people drew. An existing
            // file keeps the mode its owner gave it.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.refuseNewerSchema(pool, path: path)
            switch access {
            case .readWrite:
                try pool.writeWithoutTransaction { db in
                    // After GRDB's WAL setup, which chooses NORMAL: see the type's comment.
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                try StoreSchema.migrator.migrate(pool)
            case .readOnly:
                let upToDate = try pool.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
                guard upToDate else { throw StoreError.needsUpgrade(path: path) }
            }
        } catch {
            throw StoreError.wrap(error, path: path, busyTimeout: Self.busyTimeout)
        }
    }

    // MARK: - Running statements

    /// A read on one of the pool's reader connections, failures as `StoreError`s naming the file.
    /// Async callers suspend while GRDB's reader queue works; a blocking caller
    /// (`PredictionStore`'s API, whose thread waits anyway) has it done in place, needing no
    /// Dispatch thread that many waiting callers could all be holding.
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            if AsyncBridge.callerIsWaiting { return try readInPlace(body) }
            return try await pool.read(body)
        } catch {
            throw StoreError.wrap(error, path: path, busyTimeout: Self.busyTimeout)
        }
    }

    /// A transaction on the writer connection, done like `reading`.
    func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            if AsyncBridge.callerIsWaiting { return try writeInPlace(body) }
            return try await pool.write(body)
        } catch {
            throw StoreError.wrap(error, path: path, busyTimeout: Self.busyTimeout)
        }
    }

    /// GRDB's blocking read, on the calling thread.
    private func readInPlace<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// GRDB's blocking write, on the calling thread.
    private func writeInPlace<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }

    // MARK: - Opening checks

    /// A log written by a newer Numeral must not be migrated, written, or read as if it were known.
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

    /// Catches what SQLite would report vaguely ("unable to open database file") or only
    /// at the first write, so the user gets the precise reason up front.
    private static func checkLocation(path: String, access: PredictionStore.Access) throws {
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
