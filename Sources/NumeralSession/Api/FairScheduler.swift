import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs jobs on a fixed set of background threads, fairly between clients, and refuses work it
/// cannot do soon *before* doing any of it.
///
/// - Every client has its own queue; free workers take the next job from the clients in turn
///   (round robin), and prefer a client that has nothing running, so under contention a client
///   holds at most one worker while others wait: one address sending forty large pictures does
///   not delay another's drawing by forty pictures. With no one else waiting, a lone client may
///   use every worker for small jobs (a benchmark from one address still gets the whole
///   machine), but heavy ones (`heavyWork`) never take its last-but-one worker, so whoever comes
///   next finds one free.
/// - Work is measured in units (megapixels of a picture, thousands of points of a drawing), not
///   requests: a client may have at most `maxClientWork` units queued or running, and the server
///   at most `maxQueued` jobs waiting. Past either, `submit` throws `ServiceError.busy` at once.
/// - A queued job can be withdrawn (its deadline passed) as long as it has not started; a job
///   that started always finishes and reports its result.
/// - The worker threads run at a lower priority (`niceness`) than the threads that accept
///   connections and answer health checks, which must answer within milliseconds whatever the load.
final class FairScheduler: @unchecked Sendable {
    /// One unit of work to run on a worker; `run` gets the worker's index.
    final class Job: @unchecked Sendable {
        enum State { case queued, running, finished }
        let client: String
        let work: Int
        let run: (Int) -> Void
        let withdrawn: () -> Void
        fileprivate(set) var state = State.queued

        /// `run` is called on a worker thread once the job starts; `withdrawn` (on the caller of
        /// `withdraw`) if it is taken back before it started. Exactly one of them is called.
        init(client: String, work: Int, run: @escaping (Int) -> Void, withdrawn: @escaping () -> Void) {
            self.client = client
            self.work = max(1, work)
            self.run = run
            self.withdrawn = withdrawn
        }
    }

    private let core: Core

    /// Jobs of at least this much work (4 megapixels, 4,000 points) are heavy: one client runs
    /// at most `workers - 1` of them at once.
    static let heavyWork = 4

    var workers: Int { core.workers }

    init(workers: Int, maxQueued: Int, maxClientWork: Int, niceness: Int32 = 5, name: String = "numeral.worker") {
        core = Core(workers: workers, maxQueued: maxQueued, maxClientWork: maxClientWork)
        // The threads hold the core, not the scheduler: dropping the scheduler stops them.
        for index in 0..<core.workers {
            let thread = Thread { [core] in
                Core.lowerPriority(by: niceness)
                core.workLoop(index)
            }
            thread.name = "\(name).\(index)"
            thread.start()
        }
    }

    deinit { core.stop() }

    /// Jobs queued or running.
    var inFlight: Int { core.inFlight }

    /// Queues `job`, or throws `ServiceError.busy` (nothing is queued) when the server's queue or
    /// the client's share of work is full.
    func submit(_ job: Job) throws { try core.submit(job) }

    /// Takes `job` back if it has not started; returns whether it was (its `withdrawn` then ran).
    @discardableResult
    func withdraw(_ job: Job) -> Bool { core.withdraw(job) }

    /// The queues, counters and worker loop, shared by the worker threads.
    final class Core: @unchecked Sendable {
        let workers: Int
        let maxQueued: Int
        let maxClientWork: Int
        private let condition = NSCondition()
        private var pending: [String: [Job]] = [:]
        /// Clients with queued jobs, in the order they take their turns.
        private var turns: [String] = []
        private var running: [String: Int] = [:]
        private var runningHeavy: [String: Int] = [:]
        /// When each client with work in flight last had a job started (a serial number): the one
        /// served longest ago goes next.
        private var lastServed: [String: Int] = [:]
        private var serial = 0
        private var clientWork: [String: Int] = [:]
        private var queued = 0
        private var busyWorkers = 0

        private var stopping = false

        init(workers: Int, maxQueued: Int, maxClientWork: Int) {
            self.workers = max(1, workers)
            self.maxQueued = max(0, maxQueued)
            self.maxClientWork = max(1, maxClientWork)
        }

        /// Ends the worker threads once their current jobs finish; queued jobs are withdrawn.
        func stop() {
            let left: [Job] = condition.withLock {
                stopping = true
                condition.broadcast()
                return turns.flatMap { pending[$0] ?? [] }
            }
            for job in left { withdraw(job) }
        }

        /// Jobs queued or running.
        var inFlight: Int { condition.withLock { queued + busyWorkers } }

        /// Queues `job`, or throws `ServiceError.busy` (nothing is queued) when the server's queue or
        /// the client's share of work is full.
        func submit(_ job: Job) throws {
            try condition.withLock {
                let holding = clientWork[job.client, default: 0]
                // A client with nothing in flight may always send one job, however large (the
                // picture's own pixel cap bounds it); past that its share is bounded in work.
                guard holding == 0 || holding + job.work <= maxClientWork else {
                    throw ServiceError.busy("This client already has \(holding) units of work in progress (at most \(maxClientWork) "
                                            + "are taken at once); wait for the answers and send the rest after.")
                }
                guard queued < maxQueued || busyWorkers < workers else {
                    throw ServiceError.busy("The server is busy recognizing \(queued + busyWorkers) inputs; try again in a moment.")
                }
                clientWork[job.client] = holding + job.work
                if pending[job.client, default: []].isEmpty { turns.append(job.client) }
                pending[job.client, default: []].append(job)
                queued += 1
                condition.signal()
            }
        }

        /// Takes `job` back if it has not started; returns whether it was (its `withdrawn` then ran).
        @discardableResult
        func withdraw(_ job: Job) -> Bool {
            let taken: Bool = condition.withLock {
                guard job.state == .queued, var jobs = pending[job.client],
                      let index = jobs.firstIndex(where: { $0 === job }) else { return false }
                jobs.remove(at: index)
                pending[job.client] = jobs.isEmpty ? nil : jobs
                if jobs.isEmpty { turns.removeAll { $0 == job.client } }
                queued -= 1
                release(job)
                job.state = .finished
                return true
            }
            if taken { job.withdrawn() }
            return taken
        }

        func workLoop(_ index: Int) {
            while true {
                let next: Job? = condition.withLock {
                    while true {
                        if stopping { return nil }
                        if let next = nextJob() { return next }
                        condition.wait()
                    }
                }
                guard let job = next else { return }
                job.run(index)
                condition.withLock {
                    running[job.client, default: 1] -= 1
                    if running[job.client] == 0 { running[job.client] = nil }
                    if job.work >= FairScheduler.heavyWork {
                        runningHeavy[job.client, default: 1] -= 1
                        if runningHeavy[job.client] == 0 { runningHeavy[job.client] = nil }
                    }
                    busyWorkers -= 1
                    release(job)
                    job.state = .finished
                    // Another worker may have skipped this client's next job while this one ran.
                    condition.broadcast()
                }
            }
        }

        /// Under the lock: the next job by turns: a client with nothing running before one that has,
        /// then the one served longest ago (a client never served first).
        private func nextJob() -> Job? {
            // A heavy job may not take a client's last-but-one worker: one worker always stays
            // for everyone else's next input (small jobs take them all: they are done in moments).
            let eligible = turns.indices.filter { i in
                let client = turns[i]
                guard let head = pending[client]?.first, head.work >= FairScheduler.heavyWork else { return true }
                return runningHeavy[client, default: 0] < max(1, workers - 1)
            }
            guard var position = eligible.first else { return nil }
            for i in eligible {
                let client = turns[i], best = turns[position]
                let idle = running[client, default: 0] == 0, bestIdle = running[best, default: 0] == 0
                if idle != bestIdle ? idle : lastServed[client, default: -1] < lastServed[best, default: -1] { position = i }
            }
            let client = turns.remove(at: position)
            serial += 1
            lastServed[client] = serial
            var jobs = pending[client] ?? []
            let job = jobs.removeFirst()
            pending[client] = jobs.isEmpty ? nil : jobs
            if !jobs.isEmpty { turns.append(client) }
            queued -= 1
            busyWorkers += 1
            running[client, default: 0] += 1
            if job.work >= FairScheduler.heavyWork { runningHeavy[client, default: 0] += 1 }
            job.state = .running
            return job
        }

        private func release(_ job: Job) {
            let left = clientWork[job.client, default: job.work] - job.work
            clientWork[job.client] = left > 0 ? left : nil
            // A client with nothing in flight is forgotten: memory stays bounded by the clients waiting.
            if left <= 0 { lastServed[job.client] = nil }
        }

        /// Lowers the calling thread's scheduling priority (Linux threads have their own nice value).
        static func lowerPriority(by niceness: Int32) {
            #if os(Linux)
            guard niceness > 0,
                  let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
                  let tid = link.split(separator: "/").last.flatMap({ id_t($0) }) else { return }
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, niceness)
            #endif
        }

    }
}
