import Foundation
import XCTest
@testable import NumeralStore

/// What people drew is readable by the log's owner only: a data directory Numeral makes is
/// 0700, a new log file (and SQLite's WAL beside it) and the spool 0600.
final class LogFileModeTests: XCTestCase {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testANewLogIsTheOwnersAlone() throws {
        let parent = try makeTemporaryDirectory(self)
        let directory = parent + "/data/numeral"
        let log = try DurablePredictionLog(directory: directory)
        let store = try PredictionStore(directory: directory)
        try store.upsert(simpleRecord(Date(), predicted: "3"), uid: "a")
        _ = try log.flush()
        XCTAssertEqual(try mode(directory), 0o700)
        XCTAssertEqual(try mode(directory + "/numeral.sqlite"), 0o600)
        XCTAssertEqual(try mode(directory + "/numeral.sqlite-wal"), 0o600)
        // The spool, written when the log refuses a write.
        let spool = PredictionSpool(directory: directory)
        try spool.append([.feedback(uid: "a", actual: "3")])
        XCTAssertEqual(try mode(directory + "/numeral.spool.jsonl"), 0o600)
    }

    func testAnExistingLogKeepsTheModeItsOwnerGaveIt() throws {
        let directory = try makeTemporaryDirectory(self)
        _ = try PredictionStore(directory: directory)
        XCTAssertEqual(chmod(directory + "/numeral.sqlite", 0o640), 0)
        _ = try PredictionStore(directory: directory)
        XCTAssertEqual(try mode(directory + "/numeral.sqlite"), 0o640)
    }
}
