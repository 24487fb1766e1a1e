import Synchronization

/// How many live event streams may be open at once; one more is refused (503) before any work.
final class StreamLimit: Sendable {
    let maximum: Int
    private let open = Mutex(0)

    init(maximum: Int) { self.maximum = maximum }

    /// Takes a place, or false when all are taken.
    func enter() -> Bool {
        open.withLock { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
    }

    func leave() { open.withLock { $0 = max(0, $0 - 1) } }

    var current: Int { open.withLock { $0 } }
}
