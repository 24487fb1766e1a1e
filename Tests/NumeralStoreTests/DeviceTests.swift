import Foundation
import XCTest
@testable import NumeralStore

/// One log for a fleet: every record names its device, and analytics break down and filter by it.
final class DeviceTests: XCTestCase {
    func testTheConfiguredNameWinsAndABadOneFallsBackToTheHostName() {
        XCTAssertEqual(DeviceName.resolve(configured: " kiosk-7 ", hostName: "host"), "kiosk-7")
        XCTAssertEqual(DeviceName.resolve(configured: "", hostName: "host"), "host")
        XCTAssertEqual(DeviceName.resolve(configured: "bad\u{7}name", hostName: "host"), "host")
        XCTAssertEqual(DeviceName.resolve(configured: String(repeating: "x", count: 65), hostName: "host"), "host")
        XCTAssertEqual(DeviceName.resolve(configured: nil, hostName: " "), LogSummary.unknownDevice)
    }

    func testTextForTheTerminalShowsControlCharactersInsteadOfSendingThem() {
        XCTAssertEqual(TerminalText.safe("kiosk-1"), "kiosk-1")
        XCTAssertEqual(TerminalText.safe("evil\u{1B}]0;owned\u{7}"), "evil\\x1B]0;owned\\x07")
        XCTAssertEqual(TerminalText.safe("a\u{202E}b"), "a\\u{202E}b")
        XCTAssertEqual(TerminalText.safe("münchen-2"), "münchen-2")
    }

    func testStatsBreakDownAndFilterByDevice() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        for (n, device) in ["kiosk-1", "kiosk-1", "kiosk-2", nil].enumerated() {
            try store.record(PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_700_000_000 + Double(n)), inputType: .canvas,
                                              predicted: "1", confidence: 0.9, actual: n == 2 ? "7" : "1", device: device))
        }
        let all = Analytics.report(try store.all())
        XCTAssertEqual(all.summary.countsByDevice, ["kiosk-1": 2, "kiosk-2": 1, "unknown": 1])
        let filter = LogFilter(device: "kiosk-2")
        let one = Analytics.report(try store.all(filter: filter), filter: filter)
        XCTAssertEqual(one.summary.total, 1)
        XCTAssertEqual(one.accuracy.correct, 0)
        XCTAssertTrue(one.text().contains("device kiosk-2"))
        XCTAssertEqual(try store.all(filter: LogFilter(device: "kiosk-1")).count, 2)
    }
}
