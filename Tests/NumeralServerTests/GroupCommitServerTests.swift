import Foundation
import HummingbirdTesting
import NumeralServer
import NumeralStore
import XCTest

/// Concurrent clients' records are committed together: each answer is given only once its
/// record is durable, each record is logged once, and a log that can take nothing fails every
/// waiting request with the same clear error.
final class GroupCommitServerTests: XCTestCase {
    func testConcurrentPredictionsAndTheirFeedbackAreEachLoggedOnce() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        try await harness.run { client in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for n in 0..<24 {
                    group.addTask {
                        let made = try await client.predict(n.isMultiple(of: 2) ? Samples.one : Samples.seven)
                        XCTAssertEqual(made.status, .created, made.text)
                        let id = try XCTUnwrap(made.json["id"] as? String)
                        let label = try await client.call(.post, "/api/v1/predictions/\(id)/feedback", contentType: "application/json",
                                                          body: Array(#"{"actual": "\#(n % 10)"}"#.utf8))
                        XCTAssertEqual(label.status, .noContent, label.text)
                        return id
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            XCTAssertEqual(Set(ids).count, 24)
            XCTAssertEqual(harness.server.predictions.logWrites.writes, 48, "each prediction and each label written once")
            let records = try PredictionStore(directory: harness.directory, access: .readOnly).all()
            XCTAssertEqual(records.count, 24, "one record per prediction")
            XCTAssertEqual(Set(records.compactMap(\.uid)), Set(ids))
            XCTAssertTrue(records.allSatisfy { $0.actual != nil && $0.inputType == .api }, "every label landed on its record")
        }
    }

    func testALogThatCanTakeNothingFailsEveryWaitingRequestAndAcknowledgesNone() async throws {
        let harness = try ServerHarness()
        defer { harness.cleanUp() }
        // The data directory is replaced by a file: neither the database nor the spool beside it can be written.
        try FileManager.default.removeItem(atPath: harness.directory)
        XCTAssertTrue(FileManager.default.createFile(atPath: harness.directory, contents: Data("x".utf8)))
        try await harness.run { client in
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await client.predict(Samples.one)
                        return (Int(response.status.code), response.errorMessage)
                    }
                }
                return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
            }
            XCTAssertEqual(answers.count, 8)
            for (status, message) in answers {
                XCTAssertEqual(status, 500)
                XCTAssertTrue(message.contains("could not be logged"), message)
                XCTAssertFalse(message.contains(harness.directory), "no paths in errors")
            }
        }
    }
}
