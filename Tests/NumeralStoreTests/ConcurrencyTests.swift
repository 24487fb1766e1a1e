import Foundation
import XCTest
@testable import NumeralStore

/// The app, the dashboard and the CLI open the same file independently.
final class ConcurrencyTests: XCTestCase {
    func testTwoStoresOnOneFileWriteAndReadAtTheSameTime() throws {
        let directory = try makeTemporaryDirectory(self)
        let app = try PredictionStore(directory: directory)
        let cli = try PredictionStore(directory: directory)
        let dashboard = try PredictionStore(directory: directory, access: .readOnly)
        let perWriter = 150
        let base = date("2024-05-01T00:00:00Z")

        let failures = FailureLog()
        let group = DispatchGroup()
        for (writerIndex, writer) in [app, cli].enumerated() {
            DispatchQueue.global().async(group: group) {
                for n in 0..<perWriter {
                    let record = simpleRecord(base.addingTimeInterval(Double(n * 2 + writerIndex)), predicted: String(n % 10))
                    do { try writer.record(record) } catch { failures.add("writer \(writerIndex): \(error)") }
                }
            }
        }
        var lastCount = 0, reads = 0
        while group.wait(timeout: .now()) == .timedOut {
            do {
                let count = try dashboard.count()
                XCTAssertGreaterThanOrEqual(count, lastCount, "a reader never sees committed records vanish")
                lastCount = count
                let recent = try dashboard.recent(limit: 5)
                XCTAssertLessThanOrEqual(recent.count, 5)
                reads += 1
            } catch {
                failures.add("reader: \(error)")
            }
        }
        XCTAssertEqual(failures.messages, [])
        XCTAssertGreaterThan(reads, 0)
        XCTAssertEqual(try dashboard.count(), 2 * perWriter)
        XCTAssertEqual(Set(try app.all().compactMap(\.id)).count, 2 * perWriter, "distinct ids")
    }
}

private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ message: String) { lock.withLock { list.append(message) } }
    var messages: [String] { lock.withLock { list } }
}
