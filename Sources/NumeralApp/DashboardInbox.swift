import Foundation
import NumeralUI

/// Where the dashboard's background work (loads, polls, exports) leaves its replies for the
/// UI thread, like `EventInbox` does for the drawing view.
final class DashboardInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [DashboardEvent] = []
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void = {}) { self.wake = wake }

    func post(_ event: DashboardEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
        wake()
    }

    func drain() -> [DashboardEvent] {
        lock.lock()
        defer { lock.unlock() }
        let drained = events
        events.removeAll(keepingCapacity: true)
        return drained
    }
}
