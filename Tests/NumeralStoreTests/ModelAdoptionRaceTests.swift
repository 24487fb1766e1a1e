import Foundation
import XCTest
@testable import NumeralStore

/// Two improvements that start from the same active model and finish together (on one machine
/// or on two servers sharing a log) adopt at most one model: the second is registered, kept
/// inactive, and told which model replaced its parent.
final class ModelAdoptionRaceTests: XCTestCase {
    private func version(_ id: String, parent: String?, active: Bool, at seconds: Double) -> ModelVersion {
        ModelVersion(id: id, created: Date(timeIntervalSince1970: 1_760_000_000 + seconds), path: "/models/\(id).safetensors",
                     parentID: parent, isActive: active)
    }

    private func assertOneSiblingAdopted(_ store: PredictionStore, file: StaticString = #filePath, line: UInt = #line) throws {
        try store.registerModel(version("base", parent: nil, active: true, at: 0))
        try store.registerModel(version("first", parent: "base", active: true, at: 1))
        XCTAssertThrowsError(try store.registerModel(version("second", parent: "base", active: true, at: 2)), file: file, line: line) { error in
            XCTAssertEqual(error as? StoreError, .activeModelChanged(id: "second", parent: "base", active: "first"), file: file, line: line)
            XCTAssertTrue("\(error)".contains("\"first\" replaced that one"), "\(error)", file: file, line: line)
        }
        XCTAssertEqual(try store.activeModel()?.id, "first", file: file, line: line)
        XCTAssertEqual(try store.models().map(\.id), ["base", "first", "second"], "the kept-aside model is registered", file: file, line: line)
        // A run from the model now active may replace it; an inactive registration is never refused.
        try store.registerModel(version("third", parent: "first", active: true, at: 3))
        try store.registerModel(version("aside", parent: "base", active: false, at: 4))
        XCTAssertEqual(try store.activeModel()?.id, "third", file: file, line: line)
    }

    func testOnSQLite() throws {
        try assertOneSiblingAdopted(try PredictionStore(directory: try makeTemporaryDirectory(self)))
    }

    func testOnPostgreSQL() throws {
        try assertOneSiblingAdopted(try PredictionStore(location: .postgres(try PostgresURL(try PostgresTestServer.freshDatabase(self)))))
    }

    /// Two servers of a fleet finishing at the same moment: exactly one adoption.
    func testTwoMachinesAtOnceOnPostgreSQL() throws {
        let url = try PostgresURL(try PostgresTestServer.freshDatabase(self))
        let setup = try PredictionStore(location: .postgres(url))
        try setup.registerModel(version("base", parent: nil, active: true, at: 0))
        for round in 0..<5 {
            let parent = try XCTUnwrap(try setup.activeModel()?.id)
            let outcomes = FailureBox()
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                do {
                    // Each "machine" its own store (the pool is per process, so this is as close as one process gets).
                    let store = try PredictionStore(location: .postgres(url))
                    try store.registerModel(self.version("r\(round)-m\(k)", parent: parent, active: true, at: Double(10 * round + k + 1)))
                    outcomes.add("adopted")
                } catch StoreError.activeModelChanged {
                    outcomes.add("kept aside")
                } catch {
                    outcomes.add("\(error)")
                }
            }
            XCTAssertEqual(outcomes.all.sorted(), ["adopted", "kept aside"], "round \(round)")
        }
        XCTAssertEqual(try setup.models().filter(\.isActive).count, 1)
    }
}
