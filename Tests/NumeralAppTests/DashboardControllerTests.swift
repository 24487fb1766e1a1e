import Foundation
import NumeralStore
import NumeralUI
import NumeralVision
import XCTest
@testable import NumeralApp
@testable import NumeralSession

/// The dashboard's effects for real: background loads, the change-token poll, PNG and CSV export.
final class DashboardControllerTests: XCTestCase {
    private var directory = ""
    private let host = OffscreenDashboardHost()

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "numeral-dashctl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/exports", withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    private func record(_ store: PredictionStore, _ predicted: String, actual: String?) throws {
        try store.record(PredictionRecord(inputType: .canvas, predicted: predicted, confidence: 0.8, actual: actual, latencyMs: 0.3))
    }

    private func controller(pollInterval: Double = 1) -> DashboardController {
        let c = DashboardController(state: DashboardState(width: 1120, height: 740),
                                    loader: DashboardLoader(source: DashboardSource(logDirectory: directory,
                                                                                    modelPath: directory + "/none.safetensors")),
                                    exportDirectory: directory + "/exports", pollInterval: pollInterval)
        c.host = host
        return c
    }

    /// Drains replies until `condition` holds or `timeout` passes.
    private func wait(_ c: DashboardController, timeout: Double = 5, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            c.waitForBackgroundWork()
            c.drainInbox()
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    func testShowingLoadsInTheBackgroundAndPollingPicksUpNewPredictions() throws {
        let store = try PredictionStore(directory: directory)
        try record(store, "3", actual: "3")
        let c = controller(pollInterval: 0.1)
        c.show()
        XCTAssertTrue(c.state.isLoading)
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 1 })

        // Another process (here: another connection) logs a prediction and feedback.
        try record(store, "5", actual: "6")
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 2 }, "the dashboard refreshes by itself")
        XCTAssertEqual(c.state.data?.count(actual: 6, predicted: 5), 1)

        c.hide()
        c.waitForBackgroundWork()
        _ = c.drainInbox()
        try record(store, "1", actual: nil)
        Thread.sleep(forTimeInterval: 0.4)
        XCTAssertTrue(c.inbox.drain().isEmpty, "no polling while hidden")
    }

    func testAFirstPredictionInANewLogReplacesTheEmptyState() throws {
        let c = controller(pollInterval: 0.1)
        c.show()
        XCTAssertTrue(wait(c) { c.state.data?.isEmpty == true })
        let store = try PredictionStore(directory: directory)
        try record(store, "8", actual: "8")
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 1 })
        c.hide()
    }

    func testExportsWriteTheDashboardAsPNGAndTheFilteredLogAsCSV() throws {
        let store = try PredictionStore(directory: directory)
        try record(store, "3", actual: "3")
        try record(store, "4", actual: nil)
        let c = controller()
        c.show()
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 2 })
        let stamp = LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0)

        c.send(.key(KeyPress(.letter("e"), time: 1, stamp: stamp)))
        XCTAssertTrue(wait(c) { c.state.exporting.isEmpty })
        XCTAssertEqual(c.state.message?.kind, .success, "\(String(describing: c.state.message))")
        // The picture is the dashboard itself, without its own "Exporting…" label or message.
        let exported = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory + "/exports")
            .first { $0.hasSuffix(".png") })
        var clean = c.state
        clean.message = nil
        let expected = try DashboardSnapshot.render(clean, theme: .light)
        XCTAssertEqual(try PNGCodec.decode(path: directory + "/exports/" + exported).rgba, expected.rgba,
                       "the exported PNG shows an export in progress")
        c.send(.key(KeyPress(.letter("x"), time: 2, stamp: stamp)))
        XCTAssertTrue(wait(c) { c.state.exporting.isEmpty })
        XCTAssertEqual(c.state.message?.kind, .success, "\(String(describing: c.state.message))")
        c.hide()

        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/exports").sorted()
        let png = try XCTUnwrap(files.first { $0.hasPrefix("numeral-dashboard-") && $0.hasSuffix(".png") })
        let image = try PNGCodec.decode(path: directory + "/exports/" + png)
        XCTAssertEqual(image.width, 1120)
        XCTAssertEqual(image.height, 740)
        let csv = try XCTUnwrap(files.first { $0.hasPrefix("numeral-log-") && $0.hasSuffix(".csv") })
        let text = try String(contentsOfFile: directory + "/exports/" + csv, encoding: .utf8)
        let lines = text.split(separator: "\r\n")
        XCTAssertEqual(lines.count, 3, "header and two predictions")
        XCTAssertTrue(lines[0].hasPrefix("timestamp,input_type,digit_predicted,confidence,digit_actual"))
        XCTAssertTrue(c.state.message?.text.contains("2 predictions") == true)
    }

    func testExportReportWritesThePDFOffTheUIThreadAndSaysWhere() throws {
        let store = try PredictionStore(directory: directory)
        try record(store, "3", actual: "3")
        try record(store, "4", actual: "9")
        let c = controller()
        c.show()
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 2 })
        c.send(.key(KeyPress(.letter("p"), time: 1, stamp: LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))))
        XCTAssertEqual(c.state.exporting, [.pdf], "the report is written in the background")
        XCTAssertTrue(wait(c) { c.state.exporting.isEmpty })
        c.hide()
        let message = try XCTUnwrap(c.state.message)
        XCTAssertEqual(message.kind, .success, message.text)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/exports")
        let pdf = try XCTUnwrap(files.first { $0.hasPrefix("numeral-report-") && $0.hasSuffix(".pdf") })
        XCTAssertTrue(message.text.contains(directory + "/exports/" + pdf), "the message says where it went: \(message.text)")
        XCTAssertTrue(message.text.contains("2 predictions"))
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/exports/" + pdf))
        XCTAssertTrue(data.starts(with: Array("%PDF".utf8)))
    }

    func testExportingWithoutALogExplainsWhy() throws {
        let c = controller()
        c.show()
        XCTAssertTrue(wait(c) { c.state.data != nil })
        c.send(.key(KeyPress(.letter("x"), time: 1, stamp: LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))))
        XCTAssertTrue(wait(c) { c.state.exporting.isEmpty })
        XCTAssertEqual(c.state.message?.kind, .error)
        XCTAssertTrue(c.state.message?.text.contains("no prediction log") == true, "\(String(describing: c.state.message))")
        c.hide()
    }

    func testScreenshotCommandPathWritesAPNGOfTheRequestedSize() throws {
        let store = try PredictionStore(directory: directory)
        try record(store, "2", actual: "2")
        let path = directory + "/shot.png"
        try DashboardSnapshot.write(to: path, source: DashboardSource(logDirectory: directory, modelPath: directory + "/none.safetensors"),
                                    size: UISize(width: 1000, height: 700), theme: .dark)
        let image = try PNGCodec.decode(path: path)
        XCTAssertEqual(image.width, 1000)
        XCTAssertEqual(image.height, 700)
    }
}
