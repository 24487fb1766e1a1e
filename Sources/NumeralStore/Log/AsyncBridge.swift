import Dispatch

/// Runs an asynchronous log call to completion for a caller on a thread of its own (the
/// command line's main thread, a Dispatch queue), so `PredictionStore`'s blocking API can sit on
/// the asynchronous backends. The call runs on `BridgeExecutor`'s threads. Never call it from a task (async code awaits `PredictionStore.log`
/// instead): it blocks its thread until the call is done.
enum AsyncBridge {
    /// True inside a call made through `run`: its caller's thread waits anyway, so a backend may
    /// do blocking work in place rather than hand it to Dispatch queues, whose threads the waiting
    /// callers may be holding (`SQLitePredictionLog` then calls GRDB synchronously).
    @TaskLocal static var callerIsWaiting = false

    static func run<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: BridgeExecutor.shared) {
            do {
                outcome.result = .success(try await $callerIsWaiting.withValue(true) { try await body() })
            } catch {
                outcome.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        // The semaphore orders the task's write before this read.
        return try outcome.result!.get()
    }

    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }
}
