import Foundation
@testable import NumeralSession
import XCTest

final class FairSchedulerTests: XCTestCase {
    /// A job that records when it ran and then waits for `gate`, so the test decides what runs when.
    private final class Recorder: @unchecked Sendable {
        let lock = NSLock()
        var order: [String] = []
        var withdrawn: [String] = []
        func ran(_ name: String) { lock.withLock { order.append(name) } }
        func took(_ name: String) { lock.withLock { withdrawn.append(name) } }
        var snapshot: [String] { lock.withLock { order } }
    }

    private func job(_ name: String, client: String, work: Int = 1, recorder: Recorder, gate: DispatchSemaphore? = nil,
                     done: DispatchGroup) -> FairScheduler.Job {
        done.enter()
        return FairScheduler.Job(client: client, work: work, run: { _ in
            recorder.ran(name)
            gate?.wait()
            done.leave()
        }, withdrawn: {
            recorder.took(name)
            done.leave()
        })
    }

    func testClientsTakeTurnsSoOneFloodDoesNotDelayAnotherClientsRequest() throws {
        let scheduler = FairScheduler(workers: 1, maxQueued: 100, maxClientWork: 100, niceness: 0)
        let recorder = Recorder(), gate = DispatchSemaphore(value: 0), done = DispatchGroup()
        // The worker is held by the flood's first job while the rest queues up.
        try scheduler.submit(job("a0", client: "a", recorder: recorder, gate: gate, done: done))
        while recorder.snapshot.isEmpty { usleep(1000) }
        for i in 1...5 { try scheduler.submit(job("a\(i)", client: "a", recorder: recorder, gate: gate, done: done)) }
        try scheduler.submit(job("b0", client: "b", recorder: recorder, gate: gate, done: done))
        for _ in 0..<7 { gate.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        // b's one request runs right after the job that was running, not after a's whole flood.
        XCTAssertEqual(recorder.snapshot, ["a0", "b0", "a1", "a2", "a3", "a4", "a5"])
    }

    func testAClientPastItsShareOfWorkIsRefusedBeforeAnythingRuns() throws {
        let scheduler = FairScheduler(workers: 1, maxQueued: 100, maxClientWork: 10, niceness: 0)
        let recorder = Recorder(), gate = DispatchSemaphore(value: 0), done = DispatchGroup()
        try scheduler.submit(job("big", client: "a", work: 48, recorder: recorder, gate: gate, done: done))
        // Its one job may be large; a second one past its share is refused at once.
        XCTAssertThrowsError(try scheduler.submit(FairScheduler.Job(client: "a", work: 1, run: { _ in XCTFail("ran") }, withdrawn: {}))) {
            guard case ServiceError.busy(let message) = $0 else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("units of work"), message)
        }
        // Another client is not affected.
        try scheduler.submit(job("other", client: "b", recorder: recorder, gate: gate, done: done))
        gate.signal(); gate.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(Set(recorder.snapshot), ["big", "other"])
        // Once its work is done the client may send again.
        let after = DispatchGroup()
        try scheduler.submit(job("again", client: "a", recorder: recorder, done: after))
        XCTAssertEqual(after.wait(timeout: .now() + 10), .success)
    }

    func testTheServersQueueIsBounded() throws {
        let scheduler = FairScheduler(workers: 1, maxQueued: 2, maxClientWork: 100, niceness: 0)
        let recorder = Recorder(), gate = DispatchSemaphore(value: 0), done = DispatchGroup()
        try scheduler.submit(job("running", client: "a", recorder: recorder, gate: gate, done: done))
        while recorder.snapshot.isEmpty { usleep(1000) }
        try scheduler.submit(job("q1", client: "b", recorder: recorder, gate: gate, done: done))
        try scheduler.submit(job("q2", client: "c", recorder: recorder, gate: gate, done: done))
        XCTAssertThrowsError(try scheduler.submit(FairScheduler.Job(client: "d", work: 1, run: { _ in }, withdrawn: {})))
        for _ in 0..<3 { gate.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }

    func testAQueuedJobCanBeWithdrawnButAStartedOneFinishes() throws {
        let scheduler = FairScheduler(workers: 1, maxQueued: 10, maxClientWork: 100, niceness: 0)
        let recorder = Recorder(), gate = DispatchSemaphore(value: 0), done = DispatchGroup()
        let running = job("running", client: "a", recorder: recorder, gate: gate, done: done)
        try scheduler.submit(running)
        while recorder.snapshot.isEmpty { usleep(1000) }
        let waiting = job("waiting", client: "b", recorder: recorder, gate: gate, done: done)
        try scheduler.submit(waiting)
        XCTAssertFalse(scheduler.withdraw(running), "a started job is never taken back")
        XCTAssertTrue(scheduler.withdraw(waiting))
        XCTAssertFalse(scheduler.withdraw(waiting), "only once")
        gate.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(recorder.snapshot, ["running"])
        XCTAssertEqual(recorder.lock.withLock { recorder.withdrawn }, ["waiting"])
        XCTAssertEqual(scheduler.inFlight, 0)
    }

    func testALoneClientUsesEveryWorker() throws {
        let scheduler = FairScheduler(workers: 3, maxQueued: 10, maxClientWork: 100, niceness: 0)
        let recorder = Recorder(), gate = DispatchSemaphore(value: 0), done = DispatchGroup()
        for i in 0..<3 { try scheduler.submit(job("a\(i)", client: "a", recorder: recorder, gate: gate, done: done)) }
        // All three start although they are one client's: no one else is waiting.
        let deadline = Date().addingTimeInterval(10)
        while recorder.snapshot.count < 3 && Date() < deadline { usleep(1000) }
        XCTAssertEqual(recorder.snapshot.count, 3)
        for _ in 0..<3 { gate.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }

    func testHeavyJobsLeaveOneWorkerFreeForWhoeverComesNext() throws {
        let scheduler = FairScheduler(workers: 2, maxQueued: 10, maxClientWork: 100, niceness: 0)
        let recorder = Recorder(), gate = DispatchSemaphore(value: 0), done = DispatchGroup()
        for i in 0..<3 { try scheduler.submit(job("heavy\(i)", client: "a", work: 12, recorder: recorder, gate: gate, done: done)) }
        while recorder.snapshot.isEmpty { usleep(1000) }
        usleep(50_000)
        XCTAssertEqual(recorder.snapshot, ["heavy0"], "a second heavy job of the same client waits")
        // Another client's input takes the free worker at once.
        try scheduler.submit(job("small", client: "b", recorder: recorder, gate: gate, done: done))
        let until = Date().addingTimeInterval(10)
        while recorder.snapshot.count < 2 && Date() < until { usleep(1000) }
        XCTAssertEqual(recorder.snapshot, ["heavy0", "small"])
        for _ in 0..<4 { gate.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(recorder.snapshot.count, 4)
    }

    func testIdempotencyIDsAreStableLowercaseUUIDsPerClientAndKey() {
        let a = IdempotencyCache.predictionID(client: "ip:10.0.0.1", key: "order-1")
        XCTAssertEqual(a, IdempotencyCache.predictionID(client: "ip:10.0.0.1", key: "order-1"))
        XCTAssertNotEqual(a, IdempotencyCache.predictionID(client: "ip:10.0.0.2", key: "order-1"))
        XCTAssertNotEqual(a, IdempotencyCache.predictionID(client: "ip:10.0.0.1", key: "order-2"))
        XCTAssertEqual(a, a.lowercased())
        XCTAssertNotNil(UUID(uuidString: a))
        XCTAssertTrue(IdempotencyCache.isValidKey("abc-123"))
        XCTAssertFalse(IdempotencyCache.isValidKey(""))
        XCTAssertFalse(IdempotencyCache.isValidKey("has space"))
        XCTAssertFalse(IdempotencyCache.isValidKey(String(repeating: "k", count: 256)))
    }
}
