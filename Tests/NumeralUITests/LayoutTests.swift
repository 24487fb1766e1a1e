import XCTest
import Foundation
@testable import NumeralUI

final class LayoutTests: XCTestCase {
    func testRegionsStayInsideTheWindowAndDoNotOverlapAtSeveralSizes() {
        let sizes: [(Double, Double)] = [(640, 480), (700, 520), (800, 600), (880, 600), (1000, 560), (1120, 740),
                                         (1920, 1080), (2560, 1440), (400, 300)]
        for (w, h) in sizes {
          for variant in [LayoutVariant.standard, .kiosk] {
            let layout = Layout(width: w, height: h, variant: variant)
            let window = UIRect(x: 0, y: 0, width: layout.size.width, height: layout.size.height)
            let regions: [(String, UIRect)] = [("canvas", layout.canvas), ("prediction", layout.predictionCard),
                                               ("strip", layout.stripCard), ("chart", layout.chartCard),
                                               ("status", layout.statusBar), ("header", layout.header)]
                + (variant == .kiosk ? [("prompt", layout.feedbackPrompt)] : [])
                + layout.buttons.map { ($0.id.name, $0.rect) }
            for (name, r) in regions {
                XCTAssertTrue(r.width > 0 && r.height > 0, "\(name) empty at \(w)x\(h)")
                XCTAssertTrue(r.minX >= 0 && r.minY >= 0 && r.maxX <= window.maxX + 1e-9 && r.maxY <= window.maxY + 1e-9,
                              "\(name) \(r) outside \(w)x\(h)")
            }
            for i in regions.indices {
                for j in regions.indices where j > i {
                    let a = regions[i].1, b = regions[j].1
                    let overlaps = a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
                    // The header contains its own buttons by design, and the chart card its Explain button.
                    if overlaps && !(regions[i].0 == "header" && ["theme", "dashboard", "camera"].contains(regions[j].0))
                        && !(regions[i].0 == "chart" && regions[j].0 == "explain") {
                        XCTFail("\(regions[i].0) overlaps \(regions[j].0) at \(w)x\(h)")
                    }
                }
            }
            XCTAssertGreaterThanOrEqual(layout.canvas.width, 300)
            XCTAssertGreaterThanOrEqual(layout.canvas.height, 240, "canvas at \(w)x\(h) \(variant)")
            XCTAssertGreaterThanOrEqual(layout.chartRows.first?.track.width ?? 0, 120)
            XCTAssertGreaterThanOrEqual(layout.chartRows.first?.label.height ?? 0, 9, "chart rows at \(w)x\(h) \(variant)")
            // Buttons a user hits: digits at least 28 wide, nothing under 24 high.
            for (id, r) in layout.buttons {
                XCTAssertGreaterThanOrEqual(r.height, 24, "\(id.name) at \(w)x\(h)")
                XCTAssertGreaterThanOrEqual(r.width, 28, "\(id.name) at \(w)x\(h)")
            }
            XCTAssertEqual(layout.isCompact, w < (variant == .kiosk ? 1000 : 880) || h < 600)
            // The top three's rows end inside the prediction card.
            XCTAssertLessThanOrEqual(layout.inset.maxY, layout.predictionCard.maxY)
          }
        }
    }

    func testAWindowBelowTheMinimumIsLaidOutAtTheMinimum() {
        XCTAssertEqual(Layout.minimumSize, UISize(width: 640, height: 480))
        XCTAssertEqual(Layout(width: 500, height: 300).size, Layout.minimumSize)
        XCTAssertEqual(Layout(width: .nan, height: .infinity).size.width, Layout.minimumSize.width)
    }

    func testTheCameraViewsButtonsAndDeviceRowsFitTheSmallestWindow() {
        for (w, h) in [(640.0, 480.0), (800, 600), (1120, 740)] {
            let l = CameraLayout(width: w, height: h)
            for (id, r) in l.buttons {
                if case .device = id {
                    XCTAssertTrue(r.minY >= l.preview.minY && r.maxY <= l.preview.maxY + 1e-9, "\(id) outside the preview at \(w)x\(h)")
                    XCTAssertGreaterThanOrEqual(r.height, 20)
                } else {
                    XCTAssertTrue(r.maxX <= w && r.maxY <= h, "\(id) outside \(w)x\(h)")
                }
            }
        }
    }

    func testHitTestingFindsEachButtonAtItsCenter() {
        let layout = Layout(width: 1120, height: 740)
        for (id, rect) in layout.buttons {
            XCTAssertEqual(layout.button(at: rect.center), id)
        }
        XCTAssertNil(layout.button(at: layout.canvas.center))
        XCTAssertEqual(layout.buttons.filter { if case .digit = $0.id { return true }; return false }.count, 10)
    }

    func testStripCellsShrinkToFitManyDigits() {
        let layout = Layout(width: 1120, height: 740)
        let few = layout.stripCells(count: 3)
        XCTAssertEqual(few.count, 3)
        XCTAssertEqual(few[0].width, few[2].width)
        let many = layout.stripCells(count: 20)
        XCTAssertLessThanOrEqual(many.last!.maxX, layout.strip.maxX + 1e-9)
        XCTAssertEqual(layout.stripCell(at: few[1].center, count: 3), 1)
        XCTAssertTrue(layout.stripCells(count: 0).isEmpty)
    }

    func testLayoutJSONNamesThePredictButtonWithItsCenter() throws {
        let layout = Layout(width: 1120, height: 740)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(layout.jsonString().utf8)) as? [String: Any])
        let buttons = try XCTUnwrap(json["buttons"] as? [String: [String: Double]])
        let predict = try XCTUnwrap(buttons["predict"])
        let expected = try XCTUnwrap(layout.rect(of: .predict))
        XCTAssertEqual(predict["centerX"], expected.center.x)
        XCTAssertEqual(predict["centerY"], expected.center.y)
        XCTAssertNotNil(buttons["digit7"])
        XCTAssertNotNil(json["canvas"])
    }

    func testCanvasMappingRoundTripsAndClamps() {
        let m = CanvasMapping(canvas: UIRect(x: 10, y: 20, width: 400, height: 300), drawingSize: UISize(width: 200, height: 150))
        XCTAssertEqual(m.scale, 2)
        let d = m.toDrawing(UIPoint(x: 110, y: 120))
        XCTAssertEqual(d, UIPoint(x: 50, y: 50))
        XCTAssertEqual(m.toWindow(x: d.x, y: d.y), UIPoint(x: 110, y: 120))
        XCTAssertEqual(m.toDrawing(UIPoint(x: -100, y: 1000)), UIPoint(x: 0, y: 150))
    }

    func testTimestampFormatsAsCompactDigits() {
        XCTAssertEqual(Fixtures.stamp.compact, "20260307-090501")
        let utc = try! XCTUnwrap(TimeZone(identifier: "UTC"))
        let t = LocalTimestamp(date: Date(timeIntervalSince1970: 0), timeZone: utc)
        XCTAssertEqual(t.compact, "19700101-000000")
    }
}
