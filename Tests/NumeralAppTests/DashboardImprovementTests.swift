import Foundation
import NumeralStore
import NumeralUI
import NumeralVision
import XCTest
@testable import NumeralApp
@testable import NumeralSession

/// The "Improve model" flow through the real controller (with a fake fine-tune) and the renderer.
final class DashboardImprovementTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "numeral-dashimprove-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    private static let report = ImprovementReport(
        parentID: "mnist-cnn-base", candidateID: "tuned-20260301-abc", candidatePath: "/models/tuned-20260301-abc.safetensors",
        decision: .adopted,
        reason: "Adopted: held-out feedback accuracy rose 6.60 pp (20 -> 22 of 22) and MNIST test accuracy held.",
        feedback: .init(labelled: 88, skipped: 0, training: 66, heldOut: 22, corrections: 30),
        heldOutFeedback: AccuracyChange(count: 22, correctBefore: 20, correctAfter: 22),
        mnistTest: AccuracyChange(count: 10_000, correctBefore: 9961, correctAfter: 9962),
        settings: ImprovementSettings(), imagesPerEpoch: 2048, seconds: 80)

    private func controller(_ improver: DashboardImproving?) throws -> DashboardController {
        let store = try PredictionStore(directory: directory)
        try store.record(PredictionRecord(inputType: .canvas, predicted: "3", confidence: 0.8, actual: "3", latencyMs: 0.3))
        return DashboardController(state: DashboardState(width: 1120, height: 740),
                                   loader: DashboardLoader(source: DashboardSource(logDirectory: directory,
                                                                                   modelPath: directory + "/none.safetensors")),
                                   exportDirectory: directory, pollInterval: 10, improver: improver)
    }

    private func wait(_ c: DashboardController, timeout: Double = 5, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            c.drainInbox()
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }

    func testImprovingRunsInTheBackgroundShowsProgressAndCancels() throws {
        let fake = FakeImprover(latest: nil, outcome: .finished(Self.report))
        let c = try controller(fake)
        c.show()
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 1 })
        XCTAssertNil(c.state.lastImprovement)

        c.send(.improveTapped)
        XCTAssertTrue(wait(c) { c.state.improvement?.phase == "Fine-tuning" }, "progress arrives while the run is held")
        XCTAssertEqual(c.state.improvement?.fraction ?? 0, 0.5, accuracy: 1e-9)
        XCTAssertFalse(fake.ranOnMainThread, "never on the UI thread")

        c.send(.improveTapped) // Cancel
        XCTAssertTrue(wait(c) { !c.state.isImproving })
        XCTAssertTrue(fake.sawCancel, "the run's shouldCancel turned true")
        XCTAssertEqual(c.state.message?.kind, .info)
        XCTAssertNil(c.state.lastImprovement)
        c.hide()
    }

    func testAFinishedRunShowsItsReportAndOpeningShowsTheLatestOne() throws {
        let fake = FakeImprover(latest: Self.report, outcome: .finished(Self.report), holdUntilCancelled: false)
        let c = try controller(fake)
        c.show()
        XCTAssertTrue(wait(c) { c.state.lastImprovement == Self.report }, "the stored report is shown on opening")

        var second = Self.report
        second.candidateID = "tuned-second"
        second.decision = .rejected
        fake.outcome = .finished(second)
        c.send(.improveTapped)
        XCTAssertTrue(wait(c) { c.state.lastImprovement?.candidateID == "tuned-second" })
        XCTAssertFalse(c.state.isImproving)
        XCTAssertTrue(c.state.message?.text.contains("Kept aside") == true)
        c.hide()
    }

    func testWithoutAnImproverTheButtonExplainsInsteadOfCrashing() throws {
        let c = try controller(nil)
        c.show()
        c.send(.improveTapped)
        XCTAssertTrue(wait(c) { !c.state.isImproving })
        XCTAssertEqual(c.state.message?.kind, .error)
        c.hide()
    }

    func testTheProgressBarAndTheReportCardAreDrawn() throws {
        let c = try controller(nil)
        c.show()
        XCTAssertTrue(wait(c) { c.state.data?.report.summary.total == 1 })
        var state = c.state
        c.hide()
        let p = Palette.light

        _ = reduceDashboard(&state, .improveTapped)
        _ = reduceDashboard(&state, .improvementProgress(phase: "Fine-tuning, epoch 2 of 3", fraction: 0.6))
        var frame = try render(state, name: "dashboard-improving")
        let bar = state.layout.improvementProgressBar
        XCTAssertLessThanOrEqual(dashboardColorDistance(frame.pixel(at: UIPoint(x: bar.x + bar.width * 0.3, y: bar.center.y)), p.accent), 6,
                                 "the filled part of the bar")
        XCTAssertLessThanOrEqual(dashboardColorDistance(frame.pixel(at: UIPoint(x: bar.x + bar.width * 0.9, y: bar.center.y)), p.barTrack), 6,
                                 "the rest is track")
        // The header button now reads "Cancel" on the selected (accent) style.
        let button = try XCTUnwrap(state.layout.rect(of: .improve))
        XCTAssertLessThanOrEqual(dashboardColorDistance(frame.pixel(at: UIPoint(x: button.x + 6, y: button.center.y)), p.accent), 6)

        _ = reduceDashboard(&state, .improvementFinished(.finished(Self.report)))
        frame = try render(state, name: "dashboard-improvement-report")
        let card = state.layout.improvementCard
        // The verdict line is drawn in the success color.
        XCTAssertTrue(frame.contains(p.success, in: UIRect(x: card.x, y: card.y + 30, width: card.width, height: 24)),
                      "an 'Adopted' line in green")
        XCTAssertGreaterThan(frame.inkPixels(in: card, background: p.card), 400, "the report's rows are drawn")
        let idle = try render({ var s = state; s.lastImprovement = nil; return s }(), name: "dashboard-improvement-none")
        XCTAssertFalse(idle.contains(p.success, in: UIRect(x: card.x, y: card.y + 30, width: card.width, height: 24)))
    }

    private func render(_ state: DashboardState, name: String) throws -> DashboardFrame {
        let frame = try DashboardSnapshot.render(state, theme: .light, pixelScale: 1)
        if let dir = ProcessInfo.processInfo.environment["NUMERAL_TEST_IMAGES"] {
            try? PNGCodec.writeRGBA(path: "\(dir)/\(name).png", width: frame.width, height: frame.height, rgba: frame.rgba)
        }
        return DashboardFrame(width: frame.width, height: frame.height, rgba: frame.rgba)
    }
}

extension DashboardFrame {
    func contains(_ color: RGBA, in r: UIRect, tolerance: Int = 24) -> Bool {
        for y in Int(r.y)..<Int(r.maxY) { for x in Int(r.x)..<Int(r.maxX) where dashboardColorDistance(pixel(x: x, y: y), color) <= tolerance {
            return true
        } }
        return false
    }

    func inkPixels(in r: UIRect, background: RGBA) -> Int {
        var n = 0
        for y in Int(r.y) + 4..<Int(r.maxY) - 4 { for x in Int(r.x) + 4..<Int(r.maxX) - 4 where dashboardColorDistance(pixel(x: x, y: y), background) > 60 {
            n += 1
        } }
        return n
    }
}

/// Reports a "Fine-tuning" half-way point, then (unless told not to) waits for Cancel.
private final class FakeImprover: DashboardImproving, @unchecked Sendable {
    private let lock = NSLock()
    private let latest: ImprovementReport?
    private var _outcome: ImprovementOutcome
    private let holdUntilCancelled: Bool
    private var _sawCancel = false
    private var _ranOnMainThread = false

    init(latest: ImprovementReport?, outcome: ImprovementOutcome, holdUntilCancelled: Bool = true) {
        self.latest = latest
        _outcome = outcome
        self.holdUntilCancelled = holdUntilCancelled
    }

    var outcome: ImprovementOutcome {
        get { lock.lock(); defer { lock.unlock() }; return _outcome }
        set { lock.lock(); _outcome = newValue; lock.unlock() }
    }
    var sawCancel: Bool { lock.lock(); defer { lock.unlock() }; return _sawCancel }
    var ranOnMainThread: Bool { lock.lock(); defer { lock.unlock() }; return _ranOnMainThread }

    func latestReport() -> ImprovementReport? { latest }

    func run(progress: @escaping (String, Double) -> Void, shouldCancel: @escaping () -> Bool) -> ImprovementOutcome {
        lock.lock(); _ranOnMainThread = Thread.isMainThread; lock.unlock()
        progress("Fine-tuning", 0.5)
        guard holdUntilCancelled else { return outcome }
        let deadline = Date().addingTimeInterval(5)
        while !shouldCancel(), Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        lock.lock(); _sawCancel = shouldCancel(); lock.unlock()
        return .cancelled("Improvement cancelled; the active model is unchanged and no candidate was kept.")
    }
}
