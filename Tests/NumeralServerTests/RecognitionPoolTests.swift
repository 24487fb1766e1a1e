import Foundation
import NumeralEngine
import NumeralSession
import XCTest

final class RecognitionPoolTests: XCTestCase {
    /// The pool runs one recognition per worker thread, so OpenBLAS must not start threads of its
    /// own inside each call: they only spin against each other (a third of the CPU under load).
    func testThePoolMakesOpenBLASSingleThreaded() throws {
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/mnist-cnn.safetensors").path
        EngineThreads.configure(blasThreads: 2)
        XCTAssertEqual(EngineThreads.blasThreads, 2)
        let pool = try RecognitionPool(weightsPath: weights, workers: 2, maxQueued: 4)
        XCTAssertEqual(pool.workers, 2)
        XCTAssertEqual(EngineThreads.blasThreads, 1)
    }

    func testWorkWaitingPastItsDeadlineIsWithdrawnUndoneAndStartedWorkFinishes() async throws {
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/mnist-cnn.safetensors").path
        let pool = try RecognitionPool(weightsPath: weights, workers: 1, maxQueued: 4)
        let ran = Locked<[String]>([])
        // The first holds the only worker for 300 ms; its own deadline passes while it runs.
        async let first: String = pool.run(client: "a", deadline: 0.05) { _ in
            ran.withLock { $0.append("first") }
            usleep(300_000)
            return "first done"
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        do {
            _ = try await pool.run(client: "b", deadline: 0.05) { _ -> String in
                ran.withLock { $0.append("second") }
                return "second done"
            }
            XCTFail("the waiting job should have been withdrawn")
        } catch ServiceError.timedOut(let message) {
            XCTAssertTrue(message.contains("nothing was logged"), message)
        }
        let firstAnswer = try await first
        XCTAssertEqual(firstAnswer, "first done")
        XCTAssertEqual(ran.current, ["first"], "the withdrawn job never ran")
        // The worker counts itself free just after it hands over the answer.
        let until = Date().addingTimeInterval(5)
        while pool.inFlight > 0 && Date() < until { try await Task.sleep(nanoseconds: 1_000_000) }
        XCTAssertEqual(pool.inFlight, 0)
    }
}
