import Foundation
import XCTest
@testable import NumeralUI

final class DashboardLayoutTests: XCTestCase {
    func testCardsAndControlsStayInsideTheWindowWithoutOverlapping() {
        for (w, h) in [(640.0, 480.0), (720, 540), (800, 600), (880.0, 600.0), (1120, 740), (1280, 800), (1920, 1080), (300, 200)] {
            let l = DashboardLayout(width: w, height: h)
            let window = UIRect(x: 0, y: 0, width: l.size.width, height: l.size.height)
            // Three columns from 800 wide; below that the breakdown and training curves wait for room.
            XCTAssertEqual(l.showsSideCards, l.size.width >= 800, "\(w)x\(h)")
            let side: [(String, UIRect)] = l.showsSideCards ? [("modelCard", l.modelCard), ("breakdownCard", l.breakdownCard)] : []
            if !l.showsSideCards { XCTAssertEqual(l.modelCard, .zero); XCTAssertEqual(l.breakdownCard, .zero) }
            let regions: [(String, UIRect)] = [("heatmapCard", l.heatmapCard), ("timelineCard", l.timelineCard),
                                               ("improvementCard", l.improvementCard), ("status", l.statusBar)] + side
                + l.tiles.enumerated().map { ("tile\($0.offset)", $0.element) }
                + l.controls.map { ($0.id.name, $0.rect) }
            for (name, r) in regions {
                XCTAssertTrue(r.width > 0 && r.height > 0, "\(name) empty at \(w)x\(h)")
                XCTAssertTrue(r.minX >= 0 && r.minY >= 0 && r.maxX <= window.maxX + 1e-9 && r.maxY <= window.maxY + 1e-9,
                              "\(name) \(r) outside \(w)x\(h)")
            }
            for i in regions.indices {
                for j in regions.indices where j > i {
                    let a = regions[i].1, b = regions[j].1
                    let overlaps = a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
                    XCTAssertFalse(overlaps, "\(regions[i].0) overlaps \(regions[j].0) at \(w)x\(h)")
                }
            }
            // Plots sit inside their cards, and the heatmap grid is square and inside its card.
            let plots = [(l.timelinePlot, l.timelineCard), (l.heatmap, l.heatmapCard)]
                + (l.showsSideCards ? [(l.lossPlot, l.modelCard), (l.accuracyPlot, l.modelCard)] : [])
            for (plot, card) in plots {
                XCTAssertTrue(plot.minX >= card.minX && plot.maxX <= card.maxX && plot.minY >= card.minY && plot.maxY <= card.maxY,
                              "\(plot) outside \(card) at \(w)x\(h)")
            }
            XCTAssertEqual(l.heatmap.width, l.heatmap.height)
            XCTAssertGreaterThanOrEqual(l.heatmapCellSide, l.isCompact ? 20 : 24, "cells must fit a count at \(w)x\(h)")
            XCTAssertGreaterThanOrEqual(l.timelinePlot.height, 60, "timeline at \(w)x\(h)")
        }
    }

    func testHeatmapCellsHitTestToTheirRowAndColumn() {
        let l = DashboardLayout(width: 1280, height: 800)
        for actual in 0..<10 {
            for predicted in 0..<10 {
                let cell = HeatmapCell(actual: actual, predicted: predicted)
                XCTAssertEqual(l.heatmapCell(at: l.rect(of: cell).center), cell)
            }
        }
        XCTAssertNil(l.heatmapCell(at: UIPoint(x: l.heatmap.x - 1, y: l.heatmap.y + 5)))
        XCTAssertNil(l.heatmapCell(at: UIPoint(x: l.heatmap.maxX, y: l.heatmap.y + 5)))
        // Column = predicted digit, left to right; row = actual digit, top to bottom.
        let r = l.rect(of: HeatmapCell(actual: 2, predicted: 5))
        XCTAssertEqual(r.x, l.heatmap.x + 5 * l.heatmapCellSide, accuracy: 1e-9)
        XCTAssertEqual(r.y, l.heatmap.y + 2 * l.heatmapCellSide, accuracy: 1e-9)
    }

    func testEveryControlIsFoundAtItsCenter() {
        let l = DashboardLayout(width: 1120, height: 740)
        XCTAssertEqual(l.controls.count, 5 + DashboardRange.allCases.count + DashboardInputFilter.allCases.count + 1, "+ the device chip")
        for (id, rect) in l.controls { XCTAssertEqual(l.control(at: rect.center), id) }
        let narrow = DashboardLayout(width: 880, height: 600)
        XCTAssertNil(narrow.rect(of: .device), "no room at the minimum size: V steps through devices there")
    }

    func testKioskLayoutHasBigTargetsAndNoThemeOrDashboardButtons() {
        let kiosk = Layout(width: 1280, height: 1024, variant: .kiosk)
        let desk = Layout(width: 1280, height: 1024)
        XCTAssertNil(kiosk.rect(of: .theme))
        XCTAssertNil(kiosk.rect(of: .dashboard))
        XCTAssertNotNil(desk.rect(of: .dashboard))
        for id in [ButtonID.correct, .digit(0), .predict, .undo, .clear] {
            XCTAssertGreaterThanOrEqual(kiosk.rect(of: id)?.height ?? 0, 64, "\(id.name)")
            XCTAssertGreaterThan(kiosk.rect(of: id)?.height ?? 0, desk.rect(of: id)?.height ?? 0)
        }
        XCTAssertGreaterThan(kiosk.feedbackPrompt.height, 0)
        XCTAssertEqual(desk.feedbackPrompt, .zero)
        XCTAssertNotEqual(kiosk, desk)
        var state = AppState(width: 1280, height: 1024)
        state.layout = kiosk
        _ = reduce(&state, .resized(width: 1400, height: 1000))
        XCTAssertEqual(state.layout.variant, .kiosk, "resizing keeps the kiosk layout")
    }

    func testFormattingIsStableAndHandlesMissingValues() {
        XCTAssertEqual(DashboardFormat.percent(0.9734), "97.3%")
        XCTAssertEqual(DashboardFormat.percent(nil), "—")
        XCTAssertEqual(DashboardFormat.percent(.nan), "—")
        XCTAssertEqual(DashboardFormat.count(1_234_567), "1,234,567")
        XCTAssertEqual(DashboardFormat.count(12), "12")
        XCTAssertEqual(DashboardFormat.milliseconds(0.4216), "0.42 ms")
        let utc = TimeZone(secondsFromGMT: 0)!
        let date = Date(timeIntervalSince1970: 1_709_650_800) // 2024-03-05 15:00 UTC
        XCTAssertEqual(DashboardFormat.bucketLabel(date, granularity: .day, timeZone: utc), "Mar 5")
        XCTAssertEqual(DashboardFormat.bucketLabel(date, granularity: .hour, timeZone: utc), "15:00")
    }
}
