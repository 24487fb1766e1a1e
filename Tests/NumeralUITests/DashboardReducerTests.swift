import XCTest
@testable import NumeralUI

final class DashboardReducerTests: XCTestCase {
    private let stamp = LocalTimestamp(year: 2026, month: 3, day: 7, hour: 9, minute: 5, second: 1)

    /// A small matrix: 4 sevens (3 right, 1 read as 1), 2 ones (both right).
    private func sampleData(total: Int = 6) -> DashboardData {
        var confusion = AnalyticsReport.empty.confusion
        confusion[7][7] = 3
        confusion[7][1] = 1
        confusion[1][1] = 2
        return Fixtures.dashboardData(total: total, labelled: 6, correct: 5, confusion: confusion)
    }

    private func click(_ state: inout DashboardState, _ control: DashboardControl, time: Double = 1) -> [DashboardEffect] {
        guard let r = state.layout.rect(of: control) else { XCTFail("no \(control.name)"); return [] }
        var effects = reduceDashboard(&state, .pointer(PointerEvent(.down, .mouse, at: r.center, time: time)))
        effects += reduceDashboard(&state, .pointer(PointerEvent(.up, .mouse, at: r.center, time: time + 0.05)))
        return effects
    }

    private func loaded(_ data: DashboardData? = nil, token: Int64 = 1) -> DashboardState {
        var s = DashboardState()
        XCTAssertEqual(reduceDashboard(&s, .opened), [.load(DashboardQuery(), request: 1), .loadImprovementReport])
        _ = reduceDashboard(&s, .loaded(request: 1, outcome: .success(data ?? sampleData(), token: token)))
        return s
    }

    func testOpeningLoadsOnceAndReopeningShowsWhatWasLoaded() {
        var s = loaded()
        XCTAssertEqual(s.data, sampleData())
        XCTAssertEqual(s.shownQuery, DashboardQuery())
        XCTAssertFalse(s.isLoading)
        XCTAssertEqual(reduceDashboard(&s, .opened), [.loadImprovementReport], "data for the same filter is already on screen")
    }

    /// A fleet's log: the device chip (or V) steps through all devices, then each one.
    func testTheDeviceChipStepsThroughTheFleetAndKeepsTheOtherFilters() {
        var fleet = sampleData()
        fleet.report.summary.countsByDevice = ["kiosk-2": 4, "kiosk-1": 2]
        var s = loaded(fleet)
        XCTAssertEqual(s.knownDevices, ["kiosk-1", "kiosk-2"])
        XCTAssertEqual(click(&s, .input(.canvas)), [.load(DashboardQuery(input: .canvas), request: 2)])
        _ = reduceDashboard(&s, .loaded(request: 2, outcome: .success(fleet, token: 2)))
        XCTAssertEqual(click(&s, .device), [.load(DashboardQuery(input: .canvas, device: "kiosk-1"), request: 3)])
        var one = sampleData()
        one.report.summary.countsByDevice = ["kiosk-1": 2]
        _ = reduceDashboard(&s, .loaded(request: 3, outcome: .success(one, token: 3)))
        XCTAssertEqual(s.knownDevices, ["kiosk-1", "kiosk-2"], "a one-device view keeps the list to step through")
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.letter("v"), time: 2, stamp: stamp))),
                       [.load(DashboardQuery(input: .canvas, device: "kiosk-2"), request: 4)])
        _ = reduceDashboard(&s, .loaded(request: 4, outcome: .success(one, token: 4)))
        XCTAssertEqual(click(&s, .device), [.load(DashboardQuery(input: .canvas), request: 5)], "then the whole fleet again")
        XCTAssertEqual(DashboardQuery(range: .week, device: "kiosk-2").description, "last 7 days, kiosk-2")
    }

    func testChangingAFilterLoadsTheNewQueryAndKeepsOldDataUntilItArrives() {
        var s = loaded()
        let effects = click(&s, .range(.week))
        XCTAssertEqual(effects, [.load(DashboardQuery(range: .week, input: .all), request: 2)])
        XCTAssertEqual(s.query.range, .week)
        XCTAssertEqual(s.shownQuery, DashboardQuery(), "the numbers on screen still describe the old filter")
        XCTAssertEqual(click(&s, .range(.week)), [], "the selected chip again changes nothing")

        let filtered = sampleData(total: 2)
        _ = reduceDashboard(&s, .loaded(request: 2, outcome: .success(filtered, token: 1)))
        XCTAssertEqual(s.data?.report.summary.total, 2)
        XCTAssertEqual(s.shownQuery, DashboardQuery(range: .week, input: .all))
    }

    func testAFilterChosenDuringALoadIsLoadedRightAfterIt() {
        var s = loaded()
        _ = click(&s, .range(.day))
        XCTAssertEqual(click(&s, .input(.upload)), [], "one load at a time")
        let effects = reduceDashboard(&s, .loaded(request: 2, outcome: .success(sampleData(total: 3), token: 1)))
        XCTAssertEqual(effects, [.load(DashboardQuery(range: .day, input: .upload), request: 3)])
        XCTAssertEqual(s.shownQuery, DashboardQuery(range: .day, input: .all))
    }

    func testStaleRepliesAreDropped() {
        var s = loaded()
        _ = click(&s, .input(.canvas))
        _ = reduceDashboard(&s, .loaded(request: 1, outcome: .success(sampleData(total: 99), token: 5)))
        XCTAssertEqual(s.data?.report.summary.total, 6, "request 1 was already answered")
    }

    func testTheLogChangingReloadsOnlyForANewToken() {
        var s = loaded(token: 4)
        XCTAssertEqual(reduceDashboard(&s, .logChanged(token: 4)), [])
        XCTAssertEqual(reduceDashboard(&s, .logChanged(token: 5)), [.load(DashboardQuery(), request: 2)])
        XCTAssertEqual(reduceDashboard(&s, .logChanged(token: 6)), [], "a load is running")
        XCTAssertTrue(s.reloadWanted)
        let effects = reduceDashboard(&s, .loaded(request: 2, outcome: .success(sampleData(), token: 5)))
        XCTAssertEqual(effects, [.load(DashboardQuery(), request: 3)], "the log moved during the load")
    }

    func testLoadFailureIsShownAndTheNextSuccessClearsIt() {
        var s = DashboardState()
        _ = reduceDashboard(&s, .opened)
        _ = reduceDashboard(&s, .loaded(request: 1, outcome: .failure("the log is locked")))
        XCTAssertEqual(s.loadError, "the log is locked")
        XCTAssertEqual(s.message?.kind, .error)
        XCTAssertEqual(reduceDashboard(&s, .opened), [.load(DashboardQuery(), request: 2), .loadImprovementReport], "reopening retries")
        _ = reduceDashboard(&s, .loaded(request: 2, outcome: .success(sampleData(), token: 1)))
        XCTAssertNil(s.loadError)
        XCTAssertNil(s.message)
    }

    func testHoveringACellDescribesItsCountAndShareOfTheRow() {
        var s = loaded()
        let cell = HeatmapCell(actual: 7, predicted: 1)
        let center = s.layout.rect(of: cell).center
        _ = reduceDashboard(&s, .pointer(PointerEvent(.move, .mouse, at: center, time: 1)))
        XCTAssertEqual(s.hoveredCell, cell)
        XCTAssertEqual(s.inspectedCell, cell)
        XCTAssertEqual(s.describe(cell), "7 read as 1: 1 of 4 (25.0% of 7s)")
        XCTAssertEqual(s.describe(HeatmapCell(actual: 1, predicted: 1)), "1 read correctly: 2 of 2 (100.0% of 1s)")
        XCTAssertEqual(s.describe(HeatmapCell(actual: 3, predicted: 3)), "No labelled 3s yet")
        _ = reduceDashboard(&s, .pointerLeft)
        XCTAssertNil(s.inspectedCell)
    }

    func testTappingACellPinsItUntilTappedAgain() {
        var s = loaded()
        let cell = HeatmapCell(actual: 7, predicted: 7)
        let center = s.layout.rect(of: cell).center
        _ = reduceDashboard(&s, .pointer(PointerEvent(.down, .touch(finger: 1), at: center, time: 1)))
        _ = reduceDashboard(&s, .pointer(PointerEvent(.up, .touch(finger: 1), at: center, time: 1.1)))
        XCTAssertEqual(s.inspectedCell, cell)
        _ = reduceDashboard(&s, .pointer(PointerEvent(.down, .touch(finger: 2), at: center, time: 2)))
        XCTAssertNil(s.inspectedCell)
    }

    func testExportButtonsAskForExportsOnceAtATime() {
        var s = loaded()
        XCTAssertEqual(click(&s, .exportPNG), [.export(.png, DashboardQuery())])
        XCTAssertEqual(click(&s, .exportPNG), [], "already exporting")
        XCTAssertEqual(click(&s, .exportCSV), [.export(.csv, DashboardQuery())])
        _ = reduceDashboard(&s, .exported(.png, path: "/tmp/a.png", summary: "the dashboard", error: nil))
        XCTAssertEqual(s.message, StatusMessage("Exported the dashboard to /tmp/a.png", .success))
        _ = reduceDashboard(&s, .exported(.csv, path: "/ro/b.csv", summary: "", error: "read-only"))
        XCTAssertEqual(s.message?.kind, .error)
        XCTAssertTrue(s.exporting.isEmpty)
    }

    func testKeysGoBackQuitAndPickRanges() {
        var s = loaded()
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.escape, time: 1, stamp: stamp))), [.close])
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.letter("d"), time: 1, stamp: stamp))), [.close])
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.letter("q"), time: 1, stamp: stamp))), [.quit])
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.digit(3), time: 1, stamp: stamp))),
                       [.load(DashboardQuery(range: .week, input: .all), request: 2)])
        XCTAssertEqual(click(&s, .back), [.close])
    }
}
