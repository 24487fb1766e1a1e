import Foundation
import HummingbirdTesting
@testable import NumeralServer
import XCTest

/// The live dashboards' event streams: one stats computation per query and change of the log
/// however many streams show it, and a cap on open streams answered before any work.
final class EventStreamTests: XCTestCase {
    func testStreamsShowingTheSameQueryShareOneComputationPerChange() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        let logs = harness.server.logs
        let token = await logs.changeToken()
        let answers = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<12 { group.addTask { try await logs.sharedStatsJSON(StatsQuery(), token: token) } }
            return try await group.reduce(into: [Data]()) { $0.append($1) }
        }
        XCTAssertEqual(Set(answers).count, 1)
        var computed = await logs.sharedStats.computed
        XCTAssertEqual(computed, 1, "twelve streams, one report")
        var other = StatsQuery()
        other.lowConfidence = 0.3
        _ = try await logs.sharedStatsJSON(other, token: token)
        _ = try await logs.sharedStatsJSON(StatsQuery(), token: token + 1)
        computed = await logs.sharedStats.computed
        XCTAssertEqual(computed, 3, "another query, and the same after the log changed, are computed again")
        let direct = try await logs.statsJSON(StatsQuery())
        XCTAssertEqual(answers.first, direct, "the shared answer is the stats answer")
    }

    func testOneStreamPastTheCapIsRefusedBeforeAnyWork() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        let streams = harness.server.logs.streams
        for _ in 0..<streams.maximum { XCTAssertTrue(streams.enter()) }
        XCTAssertFalse(streams.enter())
        try await harness.run { client in
            let refused = try await client.call(.get, "/api/v1/events", token: harness.viewer)
            XCTAssertEqual(refused.status, .serviceUnavailable, refused.text)
            XCTAssertEqual(refused.headers[.retryAfter], "30")
            XCTAssertTrue(refused.text.contains("live dashboards are open"), refused.text)
        }
        streams.leave()
        XCTAssertEqual(streams.current, streams.maximum - 1)
        XCTAssertTrue(streams.enter(), "a place freed is a place again")
    }
}
