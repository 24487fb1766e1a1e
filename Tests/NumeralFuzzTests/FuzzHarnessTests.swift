import Foundation
import XCTest

/// The harness itself: reproducible cases, and a hang or a bad message is caught, not missed.
final class FuzzHarnessTests: XCTestCase {
    private func settings(cases: Int, caseSeconds: Double = 5) -> FuzzSettings {
        FuzzSettings(totalSeconds: 60, fixedCases: cases, seed: 7, caseSeconds: caseSeconds)
    }

    func testTheSameSeedGivesTheSameCases() {
        let seeds = [Array("{\"strokes\": [[[1, 2]]]}".utf8), [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13]]
        let a = FuzzRunner(name: "x", seeds: seeds, settings: settings(cases: 1))
        let b = FuzzRunner(name: "x", seeds: seeds, settings: settings(cases: 1))
        let other = FuzzRunner(name: "y", seeds: seeds, settings: settings(cases: 1))
        XCTAssertEqual((0..<200).map(a.input), (0..<200).map(b.input))
        XCTAssertNotEqual((0..<200).map(a.input), (0..<200).map(other.input))
        XCTAssertGreaterThan(Set((0..<200).map(a.input)).count, 150, "cases differ from each other")
    }

    func testAHangIsReportedWithItsCase() {
        let runner = FuzzRunner(name: "hang", seeds: [[1, 2, 3]], settings: settings(cases: 50, caseSeconds: 0.3))
        final class Count: @unchecked Sendable { var value = 0 }
        let count = Count()   // only the worker thread touches it
        let outcome = runner.execute { _ in
            if count.value == 20 { Thread.sleep(forTimeInterval: 2) }
            count.value += 1
        }
        XCTAssertEqual(outcome.hang?.index, 20)
    }

    func testProgrammersTextInAnErrorIsReported() {
        struct Leaky: Error, CustomStringConvertible { var description: String { "DecodingError.typeMismatch(Swift.Array<Any>)" } }
        let runner = FuzzRunner(name: "leak", seeds: [[1]], settings: settings(cases: 10))
        let outcome = runner.execute { _ in throw Leaky() }
        XCTAssertEqual(outcome.cases, 10)
        XCTAssertNil(outcome.hang)
        XCTAssertEqual(outcome.badMessages.count, 5, "the first five are kept")
    }
}
