import Foundation
import XCTest
@testable import NumeralStore

final class DeadlineTests: XCTestCase {
    func testTheCallerIsAnsweredAtTheDeadlineEvenIfTheWorkNeverEnds() async throws {
        let expired = expectation(description: "onExpiry ran")
        let late = expectation(description: "the late result was handed back")
        let started = Date()
        do {
            _ = try await Deadline.race(seconds: 1, onExpiry: { expired.fulfill() }, discardingLate: { value in
                XCTAssertEqual(value, 7)
                late.fulfill()
            }) {
                // Ignores cancellation, as a query on a frozen server may.
                usleep(2_500_000)
                return 7
            }
            XCTFail("the deadline must end the wait")
        } catch let error as Deadline.Exceeded {
            XCTAssertEqual(error.description, "the server did not answer within 1 s")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.2, "answered before the work ended")
        await fulfillment(of: [expired, late], timeout: 10)
    }

    func testWorkThatFinishesInTimeAnswersWithItsResultOrError() async throws {
        let value = try await Deadline.race(seconds: 5) { 42 }
        XCTAssertEqual(value, 42)
        struct Refused: Error {}
        do {
            _ = try await Deadline.race(seconds: 5) { () async throws -> Int in throw Refused() }
            XCTFail("the work's error is the caller's")
        } catch is Refused {}
    }

    func testItWorksForABlockingCallerThroughTheBridge() throws {
        // A caller that blocks its own thread (AsyncBridge): the race runs on the bridge threads.
        let started = Date()
        XCTAssertThrowsError(try AsyncBridge.run {
            try await Deadline.race(seconds: 1) { () async throws -> Int in
                try await Task.sleep(nanoseconds: 30_000_000_000)
                return 1
            }
        }) { XCTAssertTrue($0 is Deadline.Exceeded, "\($0)") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}
