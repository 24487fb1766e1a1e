import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralUI
import NumeralVision
import XCTest
@testable import NumeralApp
@testable import NumeralSession

/// The window follows `numeral model use` (and adopted improvements) without a restart.
final class ActiveModelWatcherTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "numeral-watcher-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    private var shippedPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/\(ModelLocator.shippedFileName)").path
    }

    /// A registry whose base version is the shipped model, plus a copy of it registered (inactive) as `other`.
    private func registryWithTwoModels(other: String) throws -> ModelRegistry {
        guard FileManager.default.fileExists(atPath: shippedPath) else { throw XCTSkip("no shipped model at \(shippedPath)") }
        let registry = try ModelRegistry(dataDirectory: directory, shippedModelLocator: ModelLocator(explicitPath: shippedPath))
        try registry.prepare()
        let copy = try DigitModel.load(weightsPath: shippedPath)
        copy.card.parentID = copy.card.id
        copy.card.id = other
        try registry.register(copy, activate: false, metrics: [:])
        return registry
    }

    func testTheWatcherSwapsInTheModelThatBecomesActive() throws {
        let registry = try registryWithTwoModels(other: "tuned-test-copy")
        let baseID = try XCTUnwrap(registry.activeModelID())
        let service = ModelRecognitionService(recognizer: Recognizer(model: try registry.loadActiveModel()))
        let events = EventLog()
        let watcher = ActiveModelWatcher(registry: registry, service: service, interval: 0.05)
        watcher.start { events.append($0) }
        defer { watcher.stop() }

        watcher.checkNow()
        XCTAssertEqual(service.modelID, baseID)
        XCTAssertTrue(events.all.isEmpty, "nothing changed, nothing to say")

        // Another process (here: another registry on the same directory) switches the model.
        let other = try ModelRegistry(dataDirectory: directory, shippedModelLocator: ModelLocator(explicitPath: shippedPath))
        try other.use(id: "tuned-test-copy")
        let deadline = Date().addingTimeInterval(5)
        while service.modelID != "tuned-test-copy", Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(service.modelID, "tuned-test-copy", "the timer picked up the new active model")
        watcher.checkNow()
        XCTAssertEqual(events.all, [.modelChanged(id: "tuned-test-copy", error: nil)], "reported once")

        // Predictions now carry the new id (and so do their log rows).
        let drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: 50, y: 10), StrokePoint(x: 50, y: 90)])], width: 100, height: 100)
        XCTAssertEqual(try service.recognize(drawing).modelID, "tuned-test-copy")

        try other.rollback()
        watcher.checkNow()
        XCTAssertEqual(service.modelID, baseID)
        XCTAssertEqual(events.all.last, .modelChanged(id: baseID, error: nil))
    }

    func testAnActiveModelThatCannotLoadIsReportedOnceAndTheOldOneKeepsWorking() throws {
        let registry = try registryWithTwoModels(other: "tuned-broken")
        let baseID = try XCTUnwrap(registry.activeModelID())
        let service = ModelRecognitionService(recognizer: Recognizer(model: try registry.loadActiveModel()))
        try registry.use(id: "tuned-broken")
        // Damaged after it was chosen: the app must keep the model it has.
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: registry.weightsPath(forID: "tuned-broken")))
        let events = EventLog()
        let watcher = ActiveModelWatcher(registry: registry, service: service, interval: 60)
        watcher.start { events.append($0) }
        defer { watcher.stop() }
        watcher.checkNow()
        watcher.checkNow()
        XCTAssertEqual(service.modelID, baseID)
        XCTAssertEqual(events.all.count, 1)
        guard case .modelChanged(let id, let error?)? = events.all.first else { return XCTFail("no error reported: \(events.all)") }
        XCTAssertEqual(id, "tuned-broken")
        XCTAssertFalse(error.isEmpty)
    }
}

/// Collects what the watcher reports, from its queue.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [AppEvent] = []
    func append(_ e: AppEvent) { lock.lock(); events.append(e); lock.unlock() }
    var all: [AppEvent] { lock.lock(); defer { lock.unlock() }; return events }
}
