import Crypto
import Foundation
import NumeralSession

/// The bearer tokens of a data directory, in `server-tokens.json` (mode 0600), or of a token
/// file given by path (`numeral serve --tokens-file`: for a fleet, one file mounted read-only
/// into every server, such as a Kubernetes Secret). A token is shown once when created; the file
/// keeps only its SHA-256, so reading the file does not give access. The server re-reads the
/// file when it changes, also when a new file is swapped in behind a symlink (as Kubernetes
/// updates a mounted Secret), so a revoked token stops working without a restart.
public final class TokenStore: @unchecked Sendable {
    public static let fileName = "server-tokens.json"
    public let path: String
    private let lock = NSLock()
    private var cached: [TokenRecord] = []
    private var cachedStamp: FileStamp?

    public init(dataDirectory: String) {
        path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
    }

    /// The token file at `path` itself (it need not be named `server-tokens.json`).
    public init(path: String) {
        self.path = path
    }

    /// Checks that the file exists and is a token list, for a file the server is given
    /// read-only: a missing or broken Secret stops the server at start instead of refusing
    /// every token later.
    public func requireReadable() throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TokenError.missing(path: path)
        }
        _ = try lock.withLock { try load() }
    }

    /// Makes a token with `role` and returns it (the only time it is visible) with its record.
    public func create(role: Role, name: String?) throws -> (token: String, record: TokenRecord) {
        if let name {
            guard !name.isEmpty, name.count <= 100, !name.contains(where: { $0.isNewline }) else {
                throw TokenError.invalidName("use 1 to 100 characters on one line")
            }
        }
        let id = Self.randomHex(bytes: 4)
        let token = "nmr_\(id)_\(Self.randomHex(bytes: 24))"
        let record = TokenRecord(id: id, name: name, role: role, sha256: Self.hash(token), created: Date())
        try lock.withLock {
            var all = try load()
            all.append(record)
            try save(all)
        }
        return (token, record)
    }

    public func list() throws -> [TokenRecord] { try lock.withLock { try load() } }

    public func revoke(id: String) throws {
        try lock.withLock {
            var all = try load()
            guard let index = all.firstIndex(where: { $0.id == id }) else { throw TokenError.unknownToken(id: id) }
            all.remove(at: index)
            try save(all)
        }
    }

    /// The record of a presented token, or nil when it is unknown or revoked.
    public func verify(_ token: String) -> TokenRecord? {
        let parts = token.split(separator: "_")
        guard token.count <= 100, parts.count == 3, parts[0] == "nmr" else { return nil }
        let digest = Self.hash(token)
        return lock.withLock {
            refreshIfChanged()
            guard let record = cached.first(where: { $0.id == parts[1] }) else { return nil }
            return Self.constantTimeEqual(record.sha256, digest) ? record : nil
        }
    }

    // MARK: - Internals

    /// What tells a changed file: the file the path leads to (symlinks followed), its size and
    /// modification time. A new file renamed or swapped in has another inode even within the
    /// same clock tick.
    private struct FileStamp: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    private func currentStamp() -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
    }

    private func refreshIfChanged() {
        let stamp = currentStamp()
        guard stamp != cachedStamp || stamp == nil else { return }
        cached = (try? load()) ?? []
        cachedStamp = stamp
    }

    private func load() throws -> [TokenRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode([TokenRecord].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TokenError.unreadable(path: path, reason: "it is not a token list")
        }
    }

    private func save(_ records: [TokenRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let data = try encoder.encode(records)
            // Written to a private temporary file first, then renamed: never readable by others.
            let temporary = path + ".tmp"
            FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw TokenError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError.unwritable(path: path, reason: error.localizedDescription)
        }
        cachedStamp = nil
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
