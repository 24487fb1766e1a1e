import Foundation
import GRDB

/// Everything that can go wrong with the prediction log, each with a message saying what
/// the user can do about it.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// Another process kept the database busy for longer than the busy timeout.
    case locked(path: String, seconds: Double)
    /// The file, or the directory that must hold its journal, cannot be written.
    case readOnly(path: String)
    /// The file exists but is not an SQLite database, or is damaged.
    case corrupt(path: String, detail: String)
    /// The data directory does not exist and cannot be created, or is not a directory.
    case directoryUnavailable(path: String, reason: String)
    /// A read-only open of a database that does not exist.
    case missingDatabase(path: String)
    /// A read-only open of a database written by an older version, which only a
    /// read-write open can upgrade.
    case needsUpgrade(path: String)
    case unknownPrediction(id: Int64)
    case unknownRecord(uid: String)
    case unknownModel(id: String)
    case duplicateModel(id: String)
    /// A version registered to replace `parent` as the active model was kept inactive, because
    /// `active` replaced `parent` first (two improvements at once, on one machine or across a fleet).
    case activeModelChanged(id: String, parent: String, active: String)
    /// A record or value that the log refuses to store (NaN confidence, non-digit label...).
    case invalidRecord(String)
    /// The file was written by a newer Numeral (its schema version is above this program's):
    /// writing could damage it and its columns may mean what this program does not know, so it
    /// is opened neither read-write nor read-only.
    case newerSchema(path: String, version: Int, supported: Int)
    /// The durable spool that keeps writes the log could not take cannot be used either:
    /// the record was not kept.
    case spool(path: String, reason: String)
    /// A `--log` / `NUMERAL_LOG` / config `log` value that is no usable location.
    case invalidLocation(text: String, reason: String)
    /// The PostgreSQL server cannot be reached or refused the connection (a kiosk keeps its
    /// records in the spool meanwhile).
    case unreachable(location: String, reason: String)
    /// Any other SQLite failure (disk full, I/O error...), with SQLite's own words.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case let .locked(path, seconds):
            return "The prediction log \(path) is locked: another process held it for more than "
                + "\(formatSeconds(seconds)) s. Close other Numeral windows or commands using it and try again."
        case let .readOnly(path):
            return "The prediction log \(path) is read-only. Make the file and its directory writable "
                + "(chmod u+w) or choose another --data-dir."
        case let .corrupt(path, detail):
            return "The prediction log \(path) is not a valid SQLite database (\(detail)). "
                + "Move it aside (it may be restorable with `sqlite3 \(path) .recover`) and Numeral will start a new one."
        case let .directoryUnavailable(path, reason):
            return "The data directory \(path) cannot be used: \(reason). "
                + "Create it, fix its permissions, or choose another --data-dir."
        case let .missingDatabase(path):
            return "There is no prediction log at \(path). Check --data-dir, or make a prediction first."
        case let .needsUpgrade(path):
            return "The prediction log \(path) was written by an older Numeral and must be upgraded: "
                + "open it once read-write (any `numeral log` command or the app does this)."
        case let .unknownPrediction(id):
            return "There is no prediction with id \(id) in the log; it may have been deleted or belong to another data directory."
        case let .unknownRecord(uid):
            return "There is no prediction named \(uid) in the log; the prediction it belongs to was never written."
        case let .unknownModel(id):
            return "There is no model version \"\(id)\" in the log; register it before making it active."
        case let .duplicateModel(id):
            return "A model version \"\(id)\" is already registered; give the new model a different id."
        case let .activeModelChanged(id, parent, active):
            return "Model \"\(id)\" was registered but not made active: it improves on \"\(parent)\", and \"\(active)\" "
                + "replaced that one while it trained (another improvement finished first). Nothing else changed."
        case let .invalidRecord(reason):
            return "Refused to log the prediction: \(reason)."
        case let .newerSchema(path, version, supported):
            return "The prediction log \(path) was written by a newer Numeral (schema \(version); this one knows up to \(supported)). "
                + "This Numeral neither writes nor reads it: update Numeral, or choose another --data-dir."
        case let .spool(path, reason):
            return "The prediction could not be logged nor kept for later in \(path) (\(reason)). "
                + "Free disk space or fix the data directory's permissions."
        case let .invalidLocation(text, reason):
            return "The log location \(text) cannot be used: \(reason)."
        case let .unreachable(location, reason):
            return "The shared log \(location) cannot be reached (\(reason)). Check that the server runs and the URL, "
                + "user and password (PGPASSWORD or ~/.pgpass) are right; predictions are kept locally meanwhile."
        case let .database(path, message):
            return "The prediction log \(path) could not be used: \(message)."
        }
    }

    private func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }

    /// Whether a write that failed with this error may succeed later (a lock, a full disk, a
    /// database that is away), so the record must be kept and retried rather than refused.
    public var isTransient: Bool {
        switch self {
        case .invalidRecord, .unknownPrediction, .unknownRecord, .unknownModel, .duplicateModel, .activeModelChanged, .invalidLocation:
            return false
        default: return true
        }
    }

    /// Turns GRDB/SQLite errors into the cases above; anything else keeps its own text.
    static func wrap(_ error: Error, path: String, busyTimeout: Double) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let damaged = error as? DamagedRow { return .corrupt(path: path, detail: damaged.detail) }
        guard let dbError = error as? DatabaseError else {
            return .database(path: path, message: String(describing: error))
        }
        switch dbError.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked(path: path, seconds: busyTimeout)
        case .SQLITE_READONLY:
            return .readOnly(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .corrupt(path: path, detail: dbError.message ?? "file is not a database")
        case .SQLITE_CANTOPEN:
            return .directoryUnavailable(path: (path as NSString).deletingLastPathComponent,
                                         reason: "SQLite cannot open \(path) there")
        default:
            return .database(path: path, message: dbError.message ?? dbError.description)
        }
    }
}
