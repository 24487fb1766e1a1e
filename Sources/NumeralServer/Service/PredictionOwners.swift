import Foundation

/// Which client made each recent prediction, so feedback can be limited to its maker. Bounded:
/// the oldest entries are forgotten first (their predictions can then be labelled by an admin).
final class PredictionOwners: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    private var owners: [String: String] = [:]
    private var order: [String] = []
    private var head = 0

    init(capacity: Int = 100_000) { self.capacity = max(1, capacity) }

    func record(id: String, client: String) {
        lock.withLock {
            owners[id] = client
            order.append(id)
            if order.count - head > capacity {
                owners[order[head]] = nil
                head += 1
                if head > capacity { order.removeFirst(head); head = 0 }
            }
        }
    }

    func owner(of id: String) -> String? { lock.withLock { owners[id] } }
}
