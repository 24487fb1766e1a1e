import Dispatch

/// Runs one front end's session: the state, its pure reducer and the effects the reducer asks
/// for. Events come from the UI thread (`send`) or, as replies of background work, through the
/// inbox (`drainInbox`, called by the UI loop). The drawing view, the dashboard and the kiosk
/// gate each run on one; so can a camera view or any other front end.
///
/// Not thread-safe by design: `state`, `send` and `drainInbox` belong to the UI thread. Only
/// the inbox is shared with background queues.
public final class SessionRunner<State: Equatable, Event: Sendable, Output: Reduction> {
    public private(set) var state: State
    public let inbox: Inbox<Event>
    private let reducer: (inout State, Event) -> Output
    /// Carries out one effect, on the UI thread; slow work goes to `reply(on:)`. Set by the
    /// runner's owner once it exists (the handler usually needs the owner).
    public var perform: (Output.Effect) -> Void = { _ in }

    public init(state: State, inbox: Inbox<Event> = Inbox(), reduce: @escaping (inout State, Event) -> Output) {
        self.state = state
        self.inbox = inbox
        self.reducer = reduce
    }

    /// Applies one event and carries out its effects. Returns the reducer's output and whether
    /// the state changed (i.e. a redraw is needed).
    @discardableResult
    public func apply(_ event: Event) -> (output: Output, changed: Bool) {
        let before = state
        let output = reducer(&state, event)
        for effect in output.effects { perform(effect) }
        return (output, state != before)
    }

    /// Applies one event. Returns true when the state changed.
    @discardableResult
    public func send(_ event: Event) -> Bool { apply(event).changed }

    /// Applies everything background work has posted since the last call.
    @discardableResult
    public func drainInbox() -> Bool {
        var changed = false
        for event in inbox.drain() { changed = send(event) || changed }
        return changed
    }

    /// Runs `work` on `queue` and posts the event it returns (nil: no reply) to the inbox.
    public func reply(on queue: DispatchQueue, _ work: @escaping @Sendable () -> Event?) {
        let inbox = self.inbox
        queue.async {
            if let event = work() { inbox.post(event) }
        }
    }
}
