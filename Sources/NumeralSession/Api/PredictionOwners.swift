import Foundation

/// Which client made each recent prediction, so changes and feedback can be limited to its
/// maker. Bounded and compact: a ring of the last `capacity` ids (16-byte UUIDs, no heap per
/// entry) and a table from id to client; the oldest are forgotten first (their predictions can
/// then be labelled by an admin). Memory stays flat however many predictions are made.
final class PredictionOwners: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    private var owners: [UUID: String] = [:]
    private var ring: [UUID] = []
    private var next = 0

    init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
        owners.reserveCapacity(self.capacity)
    }

    func record(id: String, client: String) {
        guard let uuid = UUID(uuidString: id) else { return }
        lock.withLock {
            guard owners[uuid] == nil else { return }
            owners[uuid] = client
            if ring.count < capacity {
                ring.append(uuid)
            } else {
                owners[ring[next]] = nil
                ring[next] = uuid
                next = (next + 1) % capacity
            }
        }
    }

    func owner(of id: String) -> String? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return lock.withLock { owners[uuid] }
    }
}
