import XCTest
@testable import NumeralUI

final class DashboardReportExportTests: XCTestCase {
    private let stamp = LocalTimestamp(year: 2026, month: 3, day: 7, hour: 9, minute: 5, second: 1)

    private func loaded() -> DashboardState {
        var s = DashboardState()
        _ = reduceDashboard(&s, .opened)
        _ = reduceDashboard(&s, .loaded(request: 1, outcome: .success(Fixtures.dashboardData(total: 3, labelled: 2, correct: 2), token: 1)))
        return s
    }

    func testExportReportButtonAndPAskForThePDFOfTheChosenFilterOnceAtATime() throws {
        var s = loaded()
        _ = reduceDashboard(&s, .key(KeyPress(.digit(3), time: 1, stamp: stamp)))   // 7 days
        _ = reduceDashboard(&s, .loaded(request: 2, outcome: .success(Fixtures.dashboardData(total: 1, labelled: 0, correct: 0), token: 1)))
        let r = try XCTUnwrap(s.layout.rect(of: .exportPDF))
        var effects = reduceDashboard(&s, .pointer(PointerEvent(.down, .mouse, at: r.center, time: 2)))
        effects += reduceDashboard(&s, .pointer(PointerEvent(.up, .mouse, at: r.center, time: 2.05)))
        XCTAssertEqual(effects, [.export(.pdf, DashboardQuery(range: .week, input: .all))])
        XCTAssertEqual(s.message, StatusMessage("Exporting the PDF report…", .info))
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.letter("p"), time: 3, stamp: stamp))), [], "already exporting")
        _ = reduceDashboard(&s, .exported(.pdf, path: "/home/me/numeral-report.pdf", summary: "the report (A4, 1 predictions)", error: nil))
        XCTAssertEqual(s.message, StatusMessage("Exported the report (A4, 1 predictions) to /home/me/numeral-report.pdf", .success))
        XCTAssertEqual(reduceDashboard(&s, .key(KeyPress(.letter("p"), time: 4, stamp: stamp))),
                       [.export(.pdf, DashboardQuery(range: .week, input: .all))])
        _ = reduceDashboard(&s, .exported(.pdf, path: "/ro/r.pdf", summary: "", error: "read-only"))
        XCTAssertEqual(s.message?.text, "Could not export the report to /ro/r.pdf: read-only")
    }

    func testTheButtonFitsTheHeaderAtTheSmallestWindow() throws {
        let layout = DashboardLayout(width: 880, height: 600)
        let pdf = try XCTUnwrap(layout.rect(of: .exportPDF))
        for (id, rect) in layout.controls where id != .exportPDF {
            XCTAssertFalse(pdf.minX < rect.maxX && rect.minX < pdf.maxX && pdf.minY < rect.maxY && rect.minY < pdf.maxY, "overlaps \(id.name)")
        }
        XCTAssertGreaterThan(layout.title.width, 100, "the title keeps room")
    }
}
