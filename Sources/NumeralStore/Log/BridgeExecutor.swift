import Foundation

/// A few threads of the store's own on which `AsyncBridge` runs the blocking API's calls.
///
/// Not the global concurrent executor: on Linux that runs on Dispatch's worker threads, and when
/// the callers waiting for their calls are themselves Dispatch workers (the app's, the spool's,
/// the registry's queues), the calls could not start until Dispatch noticed the blocked workers
/// and made more threads — about a second each time on this 2-core machine. Tasks that prefer
/// this executor, their child tasks and the default actors they call (the PostgreSQL pool) run
/// here instead, whatever the callers hold.
final class BridgeExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = BridgeExecutor(threads: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "numeral.store.bridge-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
