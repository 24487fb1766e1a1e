import Dispatch
import Synchronization

/// Waits for asynchronous work at most a number of seconds, without waiting for the work to end.
///
/// A task group cannot do this: it returns only when all its children have, and a query on a
/// connection whose server stopped answering may not end when cancelled. Here the work runs in
/// a task of its own; the caller is answered by whichever comes first, the work or the deadline.
/// At the deadline `onExpiry` runs (closing the connection, which fails the work soon after),
/// and a result that arrives too late is handed to `discardingLate` (closing a connection that
/// was opened after its caller gave up).
enum Deadline {
    /// Where the deadlines fire: a serial queue, which Dispatch gives a thread of its own.
    private static let timerQueue = DispatchQueue(label: "numeral.store.deadlines")

    /// The work did not finish in time.
    struct Exceeded: Error, CustomStringConvertible {
        let seconds: Int64
        var description: String { "the server did not answer within \(seconds) s" }
    }

    static func race<T: Sendable>(seconds: Int64,
                                  onExpiry: @escaping @Sendable () -> Void = {},
                                  discardingLate: @escaping @Sendable (T) -> Void = { _ in },
                                  _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        // The work runs where the caller's would: on the store's bridge threads for a blocking
        // caller (`AsyncBridge`), else on the global executor. The timer needs neither: it fires
        // on a queue of its own even when every thread of both is busy.
        let executor: (any TaskExecutor)? = AsyncBridge.callerIsWaiting ? BridgeExecutor.shared : nil
        return try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let timer = DispatchWorkItem {
                if race.finish(.failure(Exceeded(seconds: seconds))) { onExpiry() }
            }
            timerQueue.asyncAfter(deadline: .now() + .seconds(Int(seconds)), execute: timer)
            Task(executorPreference: executor) {
                let outcome: Result<T, Error>
                do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                if race.finish(outcome) {
                    timer.cancel()
                } else if case .success(let late) = outcome {
                    discardingLate(late)
                }
            }
        }
    }

    /// The caller's continuation, resumed once by whichever side finishes first.
    private final class Race<T: Sendable>: Sendable {
        private let continuation = Mutex<CheckedContinuation<T, Error>?>(nil)

        func start(_ c: CheckedContinuation<T, Error>) { continuation.withLock { $0 = c } }

        /// Resumes the caller with `outcome` if nothing has yet; true if this call did.
        func finish(_ outcome: Result<T, Error>) -> Bool {
            guard let c = continuation.withLock({ c -> CheckedContinuation<T, Error>? in defer { c = nil }; return c }) else { return false }
            c.resume(with: outcome)
            return true
        }
    }
}
