import Foundation

/// What `Idempotency-Key` requests answered recently: a retried prediction (same client, same
/// key) gets the first one's answer instead of being recognized and logged again; one still
/// running is waited for. The prediction's id is derived from the client and the key, so even a
/// retry this cache has forgotten (a restart, or more than `capacity` keys since) writes the same
/// log record again instead of a second one. A key reused for a different input is refused.
final class IdempotencyCache: @unchecked Sendable {
    struct Entry {
        let fingerprint: UInt64
        let task: Task<PredictionResult, Error>
    }

    private let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Keys are 1–255 visible ASCII characters, as the Idempotency-Key draft allows.
    static func isValidKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// The prediction id for `client`'s `key`: a lowercase UUID (version 8 layout) from two
    /// 64-bit FNV-1a hashes of them, the same on every server and after restarts.
    static func predictionID(client: String, key: String) -> String {
        let text = Array(client.utf8) + [0] + Array(key.utf8)
        var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
        for byte in text {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x100000001b3
            b = b ^ (b >> 29)
        }
        var bytes = withUnsafeBytes(of: a.bigEndian, Array.init) + withUnsafeBytes(of: b.bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// A 64-bit FNV-1a fingerprint of an input's bytes.
    static func fingerprint(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
        return h
    }

    /// The answer for `id`: the one already made or being made, else `make`'s. Throws
    /// `ServiceError.conflict` when the key was used for a different input. A failed attempt is
    /// forgotten, so retrying it does the work again.
    func answer(id: String, fingerprint: UInt64,
                make: @escaping @Sendable () async throws -> PredictionResult) async throws -> (PredictionResult, replayed: Bool) {
        let (entry, fresh): (Entry, Bool) = try lock.withLock {
            if let known = entries[id] {
                guard known.fingerprint == fingerprint else {
                    throw ServiceError.conflict("This Idempotency-Key was already used for a different input; use a new key for a new prediction.")
                }
                return (known, false)
            }
            let entry = Entry(fingerprint: fingerprint, task: Task { try await make() })
            entries[id] = entry
            order.append(id)
            if order.count > capacity { entries[order.removeFirst()] = nil }
            return (entry, true)
        }
        do {
            return (try await entry.task.value, !fresh)
        } catch {
            lock.withLock {
                if entries[id]?.task == entry.task {
                    entries[id] = nil
                    order.removeAll { $0 == id }
                }
            }
            throw error
        }
    }
}
