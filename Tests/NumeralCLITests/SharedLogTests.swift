import Foundation
import XCTest
@testable import NumeralStore

/// One log for a fleet, with real processes and a real PostgreSQL 15 server: concurrent
/// writers, a server that goes away mid-stream, and copying a kiosk's log into the fleet's.
final class SharedLogTests: XCTestCase {
    private var scripts: URL { CLIRunner.repoRoot.appendingPathComponent("scripts") }

    /// A database of its own on the suite's throwaway server (NUMERAL_TEST_POSTGRES).
    private func freshDatabase() throws -> String {
        guard let base = ProcessInfo.processInfo.environment["NUMERAL_TEST_POSTGRES"], !base.isEmpty else {
            if FileManager.default.fileExists(atPath: "/usr/lib/postgresql") || ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("PostgreSQL is installed but NUMERAL_TEST_POSTGRES is not set: run the suite with scripts/run-tests.sh")
            }
            throw XCTSkip("PostgreSQL server binaries are missing (apt-get install postgresql)")
        }
        return try database(on: base)
    }

    /// A new database on `base`, dropped when the test ends unless the server goes with it.
    private func database(on base: String, dropAfterwards: Bool = true) throws -> String {
        let name = "numeral_c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        _ = try shell(["psql", base, "-qtAc", "CREATE DATABASE \(name)"])
        if dropAfterwards {
            addTeardownBlock { _ = try? self.shell(["psql", base, "-qtAc", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"]) }
        }
        var components = try XCTUnwrap(URLComponents(string: base))
        components.path = "/" + name
        return try XCTUnwrap(components.string)
    }

    /// Runs a command; with `capture` false its output goes nowhere (a server it starts in the
    /// background could otherwise hold our pipe open).
    @discardableResult
    private func shell(_ arguments: [String], environment: [String: String] = [:], capture: Bool = true) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = capture ? out : FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = capture ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            XCTFail("\(arguments.joined(separator: " ")) failed (\(p.terminationStatus))")
            throw NSError(domain: "shell", code: Int(p.terminationStatus))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs scripts/test-postgres.sh through system(3): the server it leaves running in the
    /// background inherits descriptors that would keep Foundation's Process from seeing the
    /// script end.
    private func server(_ verb: String, port: String) throws {
        let script = scripts.appendingPathComponent("test-postgres.sh").path
        let status = system("NUMERAL_TEST_PG_PORT=\(port) '\(script)' \(verb) >/dev/null 2>&1 </dev/null")
        guard status == 0 else {
            XCTFail("test-postgres.sh \(verb) failed (\(status))")
            throw NSError(domain: "test-postgres", code: Int(status))
        }
    }

    /// Starts `numeral log stress-write` writing as a kiosk does; returns the process and its output pipe.
    private func writer(_ url: String, prefix: String, count: Int, dataDir: URL) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try CLIRunner.binary())
        p.arguments = ["log", "stress-write", "--count", "\(count)", "--uid-prefix", prefix, "--feedback",
                       "--log", url, "--data-dir", dataDir.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    /// The acknowledged record names, and the "kept N" line's N (writes that went to the spool).
    private func acknowledged(_ pipe: Pipe) -> [String] {
        String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").filter { $0.hasPrefix("ack ") || $0.hasPrefix("kept ") }.map(String.init)
    }

    /// 8 processes × 10,000 predictions with feedback against one database: every
    /// acknowledged record present exactly once, with its feedback.
    func testEightConcurrentWritersLoseNothingAndDuplicateNothing() throws {
        let url = try freshDatabase()
        let perWriter = Int(ProcessInfo.processInfo.environment["NUMERAL_FLEET_WRITES"] ?? "") ?? 10_000
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Schema first, so the writers' own migrations find it done (they also race safely).
        _ = try PredictionStore(location: .postgres(try PostgresURL(url)))
        let writers = try (0..<8).map { k in try writer(url, prefix: "w\(k)", count: perWriter, dataDir: dir.appendingPathComponent("w\(k)")) }
        let box = AckBox()
        DispatchQueue.concurrentPerform(iterations: writers.count) { k in box.add(acknowledged(writers[k].1)) }
        let acked = box.all.filter { $0.hasPrefix("ack ") }.map { String($0.dropFirst(4)) }
        for (p, _) in writers { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0) }
        XCTAssertEqual(acked.count, 8 * perWriter, "every write acknowledged")
        XCTAssertEqual(try shell(["psql", url, "-qtAc", "SELECT count(*), count(DISTINCT uid), count(digit_actual) FROM predictions"]),
                       "\(8 * perWriter)|\(8 * perWriter)|\(8 * perWriter)")
        let stored = Set(try shell(["psql", url, "-qtAc", "SELECT uid FROM predictions"]).split(separator: "\n").map(String.init))
        XCTAssertTrue(Set(acked).isSubset(of: stored), "\(Set(acked).subtracting(stored).prefix(5)) missing")
    }

    /// A kiosk whose fleet database goes away mid-stream keeps working, keeps its records in
    /// the local spool, and sends them, once each, when the server is back.
    func testAServerThatGoesAwayMidStreamLosesNothing() throws {
        _ = try freshDatabase()  // skips or fails as the suite's server check does
        // A server of this test's own, so stopping it disturbs no other test.
        let port = "54339"
        try server("start", port: port)
        let base = "postgresql://numeral@127.0.0.1:\(port)/postgres"
        defer { try? server("stop", port: port) }
        let url = try database(on: base, dropAfterwards: false)  // the server and its data go at the end
        _ = try PredictionStore(location: .postgres(try PostgresURL(url)))
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let count = 3_000
        let (p, out) = try writer(url, prefix: "kiosk", count: count, dataDir: dir)
        let box = AckBox()
        let reader = Thread { box.add(self.acknowledged(out)) }
        reader.start()
        Thread.sleep(forTimeInterval: 0.8)
        try server("pause", port: port)
        Thread.sleep(forTimeInterval: 2)
        try server("resume", port: port)
        p.waitUntilExit()
        while reader.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(box.all.filter { $0.hasPrefix("ack ") }.count, count, "the kiosk kept acknowledging while the server was away")
        let kept = box.all.first { $0.hasPrefix("kept ") }.flatMap { Int($0.dropFirst(5)) } ?? 0
        XCTAssertGreaterThan(kept, 0, "the outage happened mid-stream: some records waited in the spool")
        let flush = try CLIRunner.run(["log", "flush", "--log", url, "--data-dir", dir.path])
        XCTAssertEqual(flush.status, 0, flush.stdout + flush.stderr)
        XCTAssertEqual(try shell(["psql", url, "-qtAc", "SELECT count(*), count(DISTINCT uid), count(digit_actual) FROM predictions"]),
                       "\(count)|\(count)|\(count)", "each record once, with its feedback")
    }

    func testLogCopyMovesAKiosksLogIntoTheFleetDatabaseOnce() throws {
        let url = try freshDatabase()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let kiosk = try PredictionStore(directory: dir.path)
        for n in 0..<2_345 {
            try kiosk.upsert(PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_730_000_000 + Double(n)), inputType: .canvas,
                                              predicted: String(n % 10), confidence: 0.5, actual: n % 3 == 0 ? "1" : nil,
                                              device: "kiosk-9"), uid: "k9-\(n)")
        }
        let first = try CLIRunner.run(["log", "copy", "--from", dir.path, "--to", url, "--chunk", "500"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Copied 2345 prediction(s)"), first.stdout)
        XCTAssertTrue(first.stderr.contains("2345/2345"), "a progress bar: \(first.stderr.suffix(80))")
        let again = try CLIRunner.run(["log", "copy", "--from", dir.appendingPathComponent("numeral.sqlite").path, "--to", url])
        XCTAssertTrue(again.stdout.contains("Copied 0 prediction(s)") && again.stdout.contains("2345 were there already"), again.stdout)
        let fleet = try PredictionStore(location: .postgres(try PostgresURL(url)))
        XCTAssertEqual(try fleet.all().map { $0.uid }, try kiosk.all().map { $0.uid })
        let stats = try CLIRunner.run(["stats", "--json", "--log", url, "--device", "kiosk-9"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertEqual((try CLIRunner.json(stats.stdout)["summary"] as? [String: Any])?["total"] as? Int, 2_345)
        XCTAssertFalse(stats.stdout.contains("@"), "no credentials in output")
    }
}

extension SharedLogTests {
    /// `numeral serve --log URL` starts while the database is away (it used to exit 1 although
    /// its message said predictions are kept locally), serving the shipped model.
    func testServeStartsWhileTheSharedLogIsAway() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try CLIRunner.binary())
        p.arguments = ["serve", "--log", "postgresql://numeral@127.0.0.1:1/away", "--port", "0", "--data-dir", dir.path]
        p.standardOutput = try FileHandle(forWritingTo: output)
        p.standardError = p.standardOutput
        try p.run()
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        while Date() < deadline, p.isRunning {
            text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if text.contains("Serving model") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(p.isRunning, "serve kept running: \(text)")
        XCTAssertTrue(text.contains("Serving model"), text)
        XCTAssertTrue(text.contains("cannot be reached") && text.contains("Serving the shipped model until the log answers"), text)
    }
}

private final class AckBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ more: [String]) { lock.lock(); lines += more; lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
