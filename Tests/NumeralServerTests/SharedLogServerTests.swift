import Foundation
import HummingbirdTesting
import NumeralImprovement
import NumeralRecognition
@testable import NumeralServer
import NumeralStore
import XCTest

/// Several `numeral serve` instances behind a load balancer on one PostgreSQL log: each logs
/// under its own device name, each one's stats and CSV show the whole fleet, and a model made
/// active anywhere is served by every instance.
final class SharedLogServerTests: XCTestCase {
    func testTwoServersOnOneSharedLogSeeEachOthersPredictionsAndFollowTheActiveModel() async throws {
        let url = try PostgresURL(try freshDatabase())
        let a = try ServerHarness { $0.log = .postgres(url); $0.device = "instance-a" }
        let b = try ServerHarness { $0.log = .postgres(url); $0.device = "instance-b" }
        defer { a.cleanUp(); b.cleanUp() }

        try await a.run { client in
            let response = try await client.predict(Samples.one)
            XCTAssertEqual(response.status, .created, response.text)
            let id = try XCTUnwrap(response.json["id"] as? String)
            let feedback = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", token: a.admin,
                                                 contentType: "application/json", body: Array(#"{"actual": "1"}"#.utf8))
            XCTAssertEqual(feedback.status, .noContent, feedback.text)
        }
        try await b.run { client in
            let response = try await client.predict(Samples.seven)
            XCTAssertEqual(response.status, .created, response.text)
        }
        // Written through each server's durable log; wait until both rows are in the database.
        for server in [a.server, b.server] { try server.log.flush() }

        try await b.run { client in
            let stats = try await client.call(.get, "/api/v1/stats", token: b.viewer)
            XCTAssertEqual(stats.status, .ok, stats.text)
            let report = try AnalyticsReport.decode(json: Data(stats.text.utf8))
            XCTAssertEqual(report.summary.total, 2, "server B reads server A's prediction from the shared log")
            XCTAssertEqual(report.summary.countsByDevice, ["instance-a": 1, "instance-b": 1])
            XCTAssertEqual(report.summary.labelled, 1, "server A's feedback is in the shared log")
            let csv = try await client.call(.get, "/api/v1/log.csv", token: b.admin)
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.text.contains("instance-a") && csv.text.contains("instance-b"), csv.text)
        }

        // A version made active on another machine of the fleet reaches both servers.
        let elsewhere = try ModelRegistry(dataDirectory: a.directory + "/elsewhere", store: try PredictionStore(location: .postgres(url)),
                                          shippedModelLocator: ModelLocator(explicitPath: ServerHarness.shippedModel))
        let tuned = try elsewhere.loadActiveModel().copy()
        tuned.card.id = "tuned-fleet"
        try elsewhere.register(tuned, activate: true, metrics: [:])
        for server in [a.server, b.server] {
            XCTAssertNotEqual(server.predictions.modelID, "tuned-fleet")
            let watcher = try XCTUnwrap(server.modelWatcher, "served without --model: follows the log's active model")
            watcher.checkNow()
            XCTAssertEqual(server.predictions.modelID, "tuned-fleet")
        }
        try await a.run { client in
            let response = try await client.predict(Samples.one)
            XCTAssertEqual(response.json["model"] as? String, "tuned-fleet", response.text)
        }
    }

    /// A database of its own on the suite's throwaway server (NUMERAL_TEST_POSTGRES), dropped after.
    private func freshDatabase() throws -> String {
        guard let base = ProcessInfo.processInfo.environment["NUMERAL_TEST_POSTGRES"], !base.isEmpty else {
            if FileManager.default.fileExists(atPath: "/usr/lib/postgresql") || ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("PostgreSQL is installed but NUMERAL_TEST_POSTGRES is not set: run the suite with scripts/run-tests.sh")
            }
            throw XCTSkip("PostgreSQL server binaries are missing (apt-get install postgresql)")
        }
        let name = "numeral_s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        func psql(_ sql: String) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["psql", base, "-v", "ON_ERROR_STOP=1", "-qtAc", sql]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw XCTSkip("psql failed: \(sql)") }
        }
        try psql("CREATE DATABASE \(name)")
        addTeardownBlock { try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var components = try XCTUnwrap(URLComponents(string: base))
        components.path = "/" + name
        return try XCTUnwrap(components.string)
    }
}

extension SharedLogServerTests {
    /// What each dashboard tick does (the change token, and the stats when it moved), twenty
    /// times over: on a shared log the server reuses the connections it opened at the first
    /// tick instead of connecting (and running the migration step) again per tick.
    func testDashboardTicksOnASharedLogOpenNoNewConnections() async throws {
        let database = try freshDatabase()
        let url = try PostgresURL(database)
        let harness = try ServerHarness { $0.log = .postgres(url); $0.device = "ticks" }
        defer { harness.cleanUp() }
        let logs = harness.server.logs
        // The first tick opens the log (and, on a new database, makes its tables once).
        _ = await logs.changeToken()
        _ = try await logs.statsJSON(StatsQuery())
        let before = try backends(database)
        XCTAssertFalse(before.isEmpty, "the server keeps its connection open between ticks")
        for _ in 0..<20 {
            _ = await logs.changeToken()
            _ = try await logs.statsJSON(StatsQuery())
        }
        XCTAssertEqual(try backends(database), before, "no connection opened or closed by the ticks")
    }

    /// The backend process ids connected to `database`, other than psql's own.
    private func backends(_ database: String) throws -> [String] {
        let p = Process()
        let out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", database, "-v", "ON_ERROR_STOP=1", "-qtAc",
                       "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid"]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }
}

extension SharedLogServerTests {
    /// With the shared log's database away, predictions are still answered (and kept in the
    /// spool), and reading the log is a 503 in the server's own words, without connection internals.
    func testWithTheDatabaseAwayPredictionsAreAnsweredAndStatsSayTryLater() async throws {
        let away = try PostgresURL("postgresql://numeral@127.0.0.1:1/away")
        let server = try ServerHarness { $0.log = .postgres(away); $0.device = "instance-away" }
        defer { server.cleanUp() }
        try await server.run { client in
            let started = Date()
            let response = try await client.predict(Samples.one)
            XCTAssertEqual(response.status, .created, response.text)
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "answered without waiting for the database")
            let stats = try await client.call(.get, "/api/v1/stats", token: server.viewer)
            XCTAssertEqual(stats.status, .serviceUnavailable, stats.text)
            XCTAssertEqual(stats.headers[.retryAfter], "5")
            XCTAssertTrue(stats.text.contains("cannot be reached right now"), stats.text)
            for detail in ["errno", "Connection", "127.0.0.1", "(path)"] {
                XCTAssertFalse(stats.text.contains(detail), "no internals (\(detail)): \(stats.text)")
            }
        }
        let kept = try String(contentsOfFile: server.directory + "/numeral.spool.jsonl", encoding: .utf8)
        XCTAssertTrue(kept.contains("instance-away"), "the prediction waits in the spool: \(kept.prefix(200))")
    }
}
