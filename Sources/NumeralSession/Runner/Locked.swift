import Foundation

/// A value shared between the UI thread and background queues, behind a lock. The one lock
/// primitive of the session layer: inboxes, cancel flags and swappable models use it.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, holding the lock; what `body` changes is kept.
    @discardableResult
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    public var current: Value {
        get { withLock { $0 } }
        set { withLock { $0 = newValue } }
    }
}
