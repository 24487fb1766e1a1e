import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small append-only file of log writes that could not be made when they were asked for
/// (the database locked by another process, the disk full, the server away). Every append
/// is fsynced before it returns, so an acknowledged prediction survives a crash or a power
/// cut; `drain` replays the entries in order once the log takes writes again, including in
/// the next process that opens the same data directory.
///
/// One JSON object per line. Several processes may share a spool: appends and drains hold
/// an exclusive `flock` on a lock file beside it. A torn last line (a crash mid-append) or
/// any other unreadable line is moved to `<file>.rejected` with the entries the log refused
/// for good, never silently dropped.
public final class PredictionSpool: Sendable {
    public let path: String
    public var rejectedPath: String { path + ".rejected" }
    private var lockPath: String { path + ".lock" }

    public static let fileName = "numeral.spool.jsonl"

    public init(path: String) {
        self.path = path
    }

    /// The spool of the log in `directory`.
    public convenience init(directory: String) {
        self.init(path: (directory as NSString).appendingPathComponent(Self.fileName))
    }

    public struct DrainResult: Equatable, Sendable {
        /// Entries written to the log and removed from the spool.
        public var applied = 0
        /// Entries still waiting, because the log still refuses writes.
        public var remaining = 0
        /// Entries the log refused for good, or unreadable lines, moved to the rejected file.
        public var rejected = 0
        /// Why the first remaining entry could not be written.
        public var problem: String?
    }

    /// Appends `entries` durably (fsync) and returns once they are on disk.
    public func append(_ entries: [SpoolEntry]) throws {
        guard !entries.isEmpty else { return }
        var bytes: [UInt8] = []
        let encoder = JSONEncoder()
        for entry in entries {
            bytes += Array(try encoder.encode(entry))
            bytes.append(UInt8(ascii: "\n"))
        }
        try withLock {
            try appendBytes(bytes, to: path)
        }
    }

    /// How many entries wait in the spool (unreadable lines included).
    public func pendingCount() -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.split(separator: UInt8(ascii: "\n")).count
    }

    /// Replays the entries in order through `apply` and removes those it accepted. Stops at
    /// the first entry that fails with a transient error (that and the rest stay, in order);
    /// entries failing with a permanent error are moved to the rejected file.
    @discardableResult
    public func drain(isTransient: (Error) -> Bool = { ($0 as? StoreError)?.isTransient ?? true },
                      apply: (SpoolEntry) throws -> Void) throws -> DrainResult {
        try withLock {
            var result = DrainResult()
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return result }
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            var rejected: [UInt8] = []
            var keepFrom: Int?
            let decoder = JSONDecoder()
            for (index, line) in lines.enumerated() {
                guard let entry = try? decoder.decode(SpoolEntry.self, from: Data(line)) else {
                    rejected += Array(line) + [UInt8(ascii: "\n")]
                    result.rejected += 1
                    continue
                }
                do {
                    try apply(entry)
                    result.applied += 1
                } catch where isTransient(error) {
                    keepFrom = index
                    result.problem = String(describing: error)
                    break
                } catch {
                    rejected += Array(line) + [UInt8(ascii: "\n")]
                    result.rejected += 1
                }
            }
            if !rejected.isEmpty { try appendBytes(rejected, to: rejectedPath) }
            var remaining: [UInt8] = []
            if let keepFrom {
                for line in lines[keepFrom...] { remaining += Array(line) + [UInt8(ascii: "\n")] }
                result.remaining = lines.count - keepFrom
            }
            try replace(with: remaining)
            return result
        }
    }

    // MARK: - Files

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw spoolError("cannot open its lock file \(lockPath)") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw spoolError("cannot lock \(lockPath)") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func appendBytes(_ bytes: [UInt8], to file: String) throws {
        let fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw spoolError("cannot open \(file) for appending") }
        defer { close(fd) }
        try writeAll(fd, bytes, file: file)
        guard fsync(fd) == 0 else { throw spoolError("cannot sync \(file) to disk") }
    }

    /// Atomically replaces the spool's contents (temporary file, fsync, rename, fsync the
    /// directory), so a crash leaves either the old or the new spool, never half of one.
    private func replace(with bytes: [UInt8]) throws {
        if bytes.isEmpty {
            guard truncate(path, 0) == 0 || errno == ENOENT else { throw spoolError("cannot empty \(path)") }
            return
        }
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw spoolError("cannot create \(temporary)") }
        do {
            try writeAll(fd, bytes, file: temporary)
            guard fsync(fd) == 0 else { throw spoolError("cannot sync \(temporary) to disk") }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw spoolError("cannot replace \(path)") }
        let directory = (path as NSString).deletingLastPathComponent
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], file: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw spoolError("cannot write to \(file)")
            }
            offset += written
        }
    }

    private func spoolError(_ what: String) -> StoreError {
        .spool(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
