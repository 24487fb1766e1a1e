/// Where background work leaves its replies for the UI thread, which drains it every loop
/// iteration. `wake` interrupts the UI thread's wait (SDL_PushEvent in the window).
public final class Inbox<Event>: @unchecked Sendable {
    private let events = Locked<[Event]>([])
    private let wake: @Sendable () -> Void

    public init(wake: @escaping @Sendable () -> Void = {}) { self.wake = wake }

    public func post(_ event: Event) {
        events.withLock { $0.append(event) }
        wake()
    }

    public func drain() -> [Event] {
        events.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
