import Foundation
import NumeralUI

/// Where background work leaves its results for the UI thread, which drains it every loop
/// iteration. `wake` interrupts the UI thread's wait (SDL_PushEvent in the window).
final class Inbox<Event>: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void = {}) { self.wake = wake }

    func post(_ event: Event) {
        lock.lock()
        events.append(event)
        lock.unlock()
        wake()
    }

    func drain() -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        let drained = events
        events.removeAll(keepingCapacity: true)
        return drained
    }
}

/// The drawing view's inbox.
typealias EventInbox = Inbox<AppEvent>
/// The dashboard's inbox: replies of its loads, polls, exports and improvement runs.
typealias DashboardInbox = Inbox<DashboardEvent>

/// The newest revision asked for, so a backlog of recognitions for older drawings is
/// skipped instead of delaying the one that matters.
final class LatestRevision: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Int.min
    func set(_ v: Int) { lock.lock(); value = v; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}
