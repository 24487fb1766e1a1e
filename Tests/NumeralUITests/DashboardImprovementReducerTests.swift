import XCTest
@testable import NumeralUI

/// The improve flow of the dashboard reducer: button, progress, cancel, report and errors.
final class DashboardImprovementReducerTests: XCTestCase {
    private func click(_ state: inout DashboardState, _ control: DashboardControl) -> [DashboardEffect] {
        guard let r = state.layout.rect(of: control) else { XCTFail("no \(control.name)"); return [] }
        var effects = reduceDashboard(&state, .pointer(PointerEvent(.down, .mouse, at: r.center, time: 1)))
        effects += reduceDashboard(&state, .pointer(PointerEvent(.up, .mouse, at: r.center, time: 1.05)))
        return effects
    }

    private func loaded() -> DashboardState {
        var s = DashboardState()
        _ = reduceDashboard(&s, .opened)
        _ = reduceDashboard(&s, .loaded(request: 1, outcome: .success(Fixtures.dashboardData(total: 3, labelled: 3, correct: 2), token: 1)))
        return s
    }

    private func summary(adopted: Bool) -> ImprovementReport {
        ImprovementReport(parentID: "base", candidateID: "tuned-1", candidatePath: "/models/tuned-1.safetensors",
                          decision: adopted ? .adopted : .rejected,
                          reason: adopted ? "Adopted: held-out feedback accuracy rose." : "Kept aside: MNIST test accuracy fell 0.20 pp.",
                          feedback: .init(labelled: 82, skipped: 0, training: 60, heldOut: 22, corrections: 20),
                          heldOutFeedback: AccuracyChange(count: 22, correctBefore: 20, correctAfter: 21),
                          mnistTest: AccuracyChange(count: 10_000, correctBefore: 9961, correctAfter: adopted ? 9961 : 9941),
                          settings: ImprovementSettings(), imagesPerEpoch: 2048, seconds: 95)
    }

    func testTheHeaderButtonStartsAnImprovementAndProgressMovesTheBar() {
        var s = loaded()
        XCTAssertNotNil(s.layout.rect(of: .improve), "the button sits in the header")
        XCTAssertTrue(s.layout.header.contains(s.layout.rect(of: .improve)!.center))
        XCTAssertEqual(click(&s, .improve), [.startImprovement])
        XCTAssertTrue(s.isImproving)
        XCTAssertEqual(s.improvement?.fraction, 0)

        XCTAssertEqual(reduceDashboard(&s, .improvementProgress(phase: "Fine-tuning, epoch 1 of 3", fraction: 0.4)), [])
        XCTAssertEqual(s.improvement, ImprovementRun(phase: "Fine-tuning, epoch 1 of 3", fraction: 0.4))
        // Out-of-order or broken values never move the bar back or off the track.
        _ = reduceDashboard(&s, .improvementProgress(phase: "Fine-tuning, epoch 1 of 3", fraction: 0.3))
        XCTAssertEqual(s.improvement?.fraction, 0.4)
        _ = reduceDashboard(&s, .improvementProgress(phase: "Saving", fraction: .nan))
        XCTAssertEqual(s.improvement?.fraction, 0.4)
        _ = reduceDashboard(&s, .improvementProgress(phase: "Saving", fraction: 7))
        XCTAssertEqual(s.improvement?.fraction, 1)
        XCTAssertEqual(s.improvement?.phase, "Saving")
    }

    func testTheSameButtonCancelsOnceAndTheCancelledRunLeavesAMessage() {
        var s = loaded()
        _ = click(&s, .improve)
        XCTAssertEqual(click(&s, .improve), [.cancelImprovement])
        XCTAssertEqual(s.improvement?.cancelRequested, true)
        XCTAssertEqual(click(&s, .improve), [], "pressing again while cancelling does nothing more")
        let key = KeyPress(.letter("i"), time: 2, stamp: LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))
        XCTAssertEqual(reduceDashboard(&s, .key(key)), [])

        XCTAssertEqual(reduceDashboard(&s, .improvementFinished(.cancelled("Improvement cancelled; nothing changed."))), [])
        XCTAssertFalse(s.isImproving)
        XCTAssertNil(s.lastImprovement)
        XCTAssertEqual(s.message, StatusMessage("Improvement cancelled; nothing changed.", .info))
        XCTAssertEqual(reduceDashboard(&s, .improvementProgress(phase: "late", fraction: 0.9)), [], "stale progress is dropped")
        XCTAssertNil(s.improvement)
        XCTAssertEqual(reduceDashboard(&s, .key(key)), [.startImprovement], "I starts a new run")
    }

    func testAnAdoptedCandidateShowsItsReportAndReloadsTheModelTile() {
        var s = loaded()
        _ = click(&s, .improve)
        let effects = reduceDashboard(&s, .improvementFinished(.finished(summary(adopted: true))))
        XCTAssertEqual(effects, [.load(DashboardQuery(), request: 2)], "the model tile must describe the new active model")
        XCTAssertEqual(s.lastImprovement, summary(adopted: true))
        XCTAssertFalse(s.isImproving)
        XCTAssertEqual(s.message?.kind, .success)
        XCTAssertTrue(s.message?.text.contains("tuned-1") == true)
    }

    func testAKeptAsideCandidateShowsItsReasonWithoutReloading() {
        var s = loaded()
        _ = click(&s, .improve)
        XCTAssertEqual(reduceDashboard(&s, .improvementFinished(.finished(summary(adopted: false)))), [])
        XCTAssertEqual(s.lastImprovement?.adopted, false)
        XCTAssertEqual(s.message?.kind, .info)
        XCTAssertTrue(s.message?.text.contains("base stays active") == true, "\(String(describing: s.message))")
    }

    func testAFailureIsShownInTheCardAndKeepsTheLastReport() {
        var s = loaded()
        _ = reduceDashboard(&s, .improvementReportLoaded(summary(adopted: true)))
        _ = click(&s, .improve)
        let problem = "Not enough feedback to improve the model: 3 corrected or confirmed single-digit drawing(s)"
        XCTAssertEqual(reduceDashboard(&s, .improvementFinished(.failed(problem))), [])
        XCTAssertEqual(s.improvementProblem, problem, "the card says why, in full, instead of 'No improvement run yet'")
        XCTAssertEqual(s.message?.kind, .error)
        XCTAssertEqual(s.lastImprovement, summary(adopted: true))
        XCTAssertFalse(s.isImproving)
        _ = click(&s, .improve)
        XCTAssertNil(s.improvementProblem, "a new run clears it")
    }

    func testOpeningAsksForTheLatestReportUnlessARunIsInFlight() {
        var s = loaded()
        XCTAssertEqual(reduceDashboard(&s, .opened), [.loadImprovementReport])
        _ = reduceDashboard(&s, .improvementReportLoaded(summary(adopted: false)))
        XCTAssertEqual(s.lastImprovement, summary(adopted: false))
        _ = reduceDashboard(&s, .improvementReportLoaded(nil))
        XCTAssertEqual(s.lastImprovement, summary(adopted: false), "a missing file does not hide the report on screen")

        _ = click(&s, .improve)
        XCTAssertEqual(reduceDashboard(&s, .opened), [], "the running improvement will bring its own report")
        _ = reduceDashboard(&s, .improvementReportLoaded(summary(adopted: true)))
        XCTAssertEqual(s.lastImprovement, summary(adopted: false), "a disk report does not replace the run in flight")
    }

    func testTheImproveButtonAndCardFitAtTheMinimumWindowSize() {
        let l = DashboardLayout(width: Layout.minimumSize.width, height: Layout.minimumSize.height)
        let improve = l.rect(of: .improve)!
        XCTAssertGreaterThanOrEqual(improve.x, l.title.maxX)
        XCTAssertGreaterThan(l.title.width, 200, "room for the title")
        XCTAssertGreaterThanOrEqual(l.improvementCard.height, 120)
        XCTAssertLessThanOrEqual(l.breakdownCard.maxY, l.improvementCard.y)
        XCTAssertTrue(l.improvementCard.contains(l.improvementProgressBar.center))
    }

    /// In a kiosk, Improve and the exports work only for a while after the admin PIN opened the
    /// dashboard: a visitor at a dashboard an admin left open can neither click nor type them.
    func testInAKioskImproveAndExportsNeedARecentAdminPIN() {
        func press(_ state: inout DashboardState, _ control: DashboardControl, at time: Double) -> [DashboardEffect] {
            guard let r = state.layout.rect(of: control) else { XCTFail("no \(control.name)"); return [] }
            return reduceDashboard(&state, .pointer(PointerEvent(.down, .touch(finger: 1), at: r.center, time: time)))
                + reduceDashboard(&state, .pointer(PointerEvent(.up, .touch(finger: 1), at: r.center, time: time + 0.05)))
        }
        func key(_ letter: Character, at time: Double) -> DashboardEvent {
            .key(KeyPress(.letter(letter), time: time, stamp: LocalTimestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0)))
        }
        var s = loaded()
        s.isKiosk = true
        // Opened without the PIN's grant (or after it ran out): refused, with a message.
        XCTAssertEqual(press(&s, .improve, at: 10), [])
        XCTAssertFalse(s.isImproving)
        XCTAssertEqual(s.message?.kind, .error)
        XCTAssertTrue(s.message?.text.contains("admin PIN") == true, "\(String(describing: s.message))")
        XCTAssertEqual(reduceDashboard(&s, key("i", at: 11)), [])
        XCTAssertEqual(press(&s, .exportCSV, at: 12), [])
        XCTAssertEqual(reduceDashboard(&s, key("e", at: 13)), [], "E exports the dashboard image: refused too")

        // Within the grant, as the admin who just entered the PIN.
        _ = reduceDashboard(&s, .adminAuthorized(until: 100))
        XCTAssertEqual(press(&s, .exportCSV, at: 20), [.export(.csv, s.query)])
        XCTAssertEqual(press(&s, .improve, at: 21), [.startImprovement])
        XCTAssertEqual(press(&s, .improve, at: 22), [.cancelImprovement], "cancelling a run is allowed")
        _ = reduceDashboard(&s, .improvementFinished(.cancelled("Improvement cancelled; nothing changed.")))

        // After it, the same presses are refused again.
        XCTAssertEqual(press(&s, .improve, at: 100.5), [])
        XCTAssertFalse(s.isImproving)
        XCTAssertEqual(press(&s, .exportPDF, at: 101), [])
    }
}

