import Foundation
import XCTest
@testable import NumeralStore

/// The throwaway PostgreSQL server of `scripts/test-postgres.sh` (started by `scripts/run-tests.sh`
/// and `.ci/run`), found through `NUMERAL_TEST_POSTGRES`. Each test gets a database of its own.
enum PostgresTestServer {
    /// The maintenance URL, or a skip that says why; in CI a missing server is a failure.
    static func url() throws -> String {
        if let url = ProcessInfo.processInfo.environment["NUMERAL_TEST_POSTGRES"], !url.isEmpty { return url }
        let hasServer = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.isEmpty == false
        if hasServer || ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("PostgreSQL is installed but NUMERAL_TEST_POSTGRES is not set: run the suite with scripts/run-tests.sh (make test), which starts the test server")
        }
        throw XCTSkip("PostgreSQL server binaries are missing (apt-get install postgresql); the shared-log tests need them")
    }

    /// A new, empty database on the test server; dropped when the test ends.
    static func freshDatabase(_ test: XCTestCase) throws -> String {
        let base = try url()
        let name = "numeral_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql(base, "CREATE DATABASE \(name)")
        test.addTeardownBlock { try? psql(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        guard var components = URLComponents(string: base) else { throw XCTSkip("bad NUMERAL_TEST_POSTGRES") }
        components.path = "/" + name
        return components.string ?? base
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAc", sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "psql", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: String(decoding: errors, as: UTF8.self)])
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
