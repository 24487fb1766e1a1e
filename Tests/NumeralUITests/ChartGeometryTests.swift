import Foundation
import XCTest
@testable import NumeralUI

final class ChartGeometryTests: XCTestCase {
    private let plot = UIRect(x: 100, y: 50, width: 400, height: 200)

    private func timeline(_ cells: [(labelled: Int, correct: Int)]) -> AccuracyTimeline {
        AccuracyTimeline(granularity: .day, buckets: cells.enumerated().map {
            .init(start: Date(timeIntervalSince1970: Double($0.offset) * 86_400), labelled: $0.element.labelled, correct: $0.element.correct)
        })
    }

    func testPointsSitInTheirSlotAtTheirAccuracy() throws {
        let g = TimelineChartGeometry(plot: plot, timeline: timeline([(10, 10), (0, 0), (10, 9), (20, 19)]))
        XCTAssertEqual(g.accuracyFloor, 0.8, accuracy: 1e-9, "lowest is 90%: the axis starts at 80%")
        let first = try XCTUnwrap(g.point(bucket: 0))
        XCTAssertEqual(first.x, 150, accuracy: 1e-9, "middle of the first of four 100-point slots")
        XCTAssertEqual(first.y, plot.y, accuracy: 1e-9, "100% is the top")
        let third = try XCTUnwrap(g.point(bucket: 2))
        XCTAssertEqual(third.y, plot.maxY - 0.5 * plot.height, accuracy: 1e-9, "90% is half way between 80% and 100%")
        XCTAssertNil(g.point(bucket: 1), "no feedback that day: a gap")
        XCTAssertEqual(g.lineRuns.count, 2)
        XCTAssertEqual(g.lineRuns.map(\.count), [1, 2])
    }

    func testBarsStandOnTheBottomScaledToTheBusiestBucket() throws {
        let g = TimelineChartGeometry(plot: plot, timeline: timeline([(10, 10), (0, 0), (20, 19)]))
        let busiest = try XCTUnwrap(g.bar(bucket: 2))
        XCTAssertEqual(busiest.maxY, plot.maxY, accuracy: 1e-9)
        XCTAssertEqual(busiest.height, plot.height * TimelineChartGeometry.barShare, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(g.bar(bucket: 0)).height, busiest.height / 2, accuracy: 1e-9)
        XCTAssertNil(g.bar(bucket: 1))
    }

    func testLowAccuracyWidensTheAxisAndNothingCrashesOnEmptyTimelines() {
        XCTAssertEqual(TimelineChartGeometry(plot: plot, timeline: timeline([(10, 2)])).accuracyFloor, 0.1, accuracy: 1e-9,
                       "20% stays visible above a 10% floor")
        let empty = TimelineChartGeometry(plot: plot, timeline: timeline([]))
        XCTAssertTrue(empty.lineRuns.isEmpty)
        XCTAssertNil(empty.point(bucket: 0))
        XCTAssertEqual(empty.labelledBuckets(maxLabels: 5), [])
    }

    func testAxisLabelsAreEvenlySpacedAndIncludeTheLastBucket() {
        let g = TimelineChartGeometry(plot: plot, timeline: timeline(Array(repeating: (1, 1), count: 30)))
        let labels = g.labelledBuckets(maxLabels: 6)
        XCTAssertLessThanOrEqual(labels.count, 6)
        XCTAssertEqual(labels.last, 29)
        XCTAssertEqual(labels, labels.sorted())
    }

    func testEpochChartsClampTheirAxesToMeaningfulValues() {
        let accuracy = EpochChartGeometry(plot: plot, epochs: [1, 2, 3], series: [[0.9, 0.99, 1.0]], limits: (0, 1))
        XCTAssertLessThanOrEqual(accuracy.yScale.domain.upper, 1)
        let loss = EpochChartGeometry(plot: plot, epochs: [1, 2, 3], series: [[0.01, 0.5, 2.0]], limits: (0, .infinity))
        XCTAssertGreaterThanOrEqual(loss.yScale.domain.lower, 0)
        let points = loss.points([0.01, .nan, 2.0])
        XCTAssertEqual(points.count, 2, "a NaN loss is skipped, not drawn at a made-up height")
        XCTAssertEqual(points[0].x, plot.x, accuracy: 1e-9)
        XCTAssertEqual(points[1].x, plot.maxX, accuracy: 1e-9)
        XCTAssertEqual(points[1].y, loss.yScale(2.0), accuracy: 1e-9)
    }

    func testHeatmapColorsSeparateCorrectFromMistakenAndShowSingleMistakes() {
        let p = Palette.light
        XCTAssertEqual(HeatmapColor.fill(rate: 1, onDiagonal: true, palette: p), p.accent)
        XCTAssertEqual(HeatmapColor.fill(rate: 1, onDiagonal: false, palette: p), p.heatMistake)
        XCTAssertEqual(HeatmapColor.fill(rate: 0, onDiagonal: false, palette: p), p.barTrack)
        XCTAssertEqual(HeatmapColor.fill(rate: nil, onDiagonal: true, palette: p), p.background)
        XCTAssertGreaterThanOrEqual(HeatmapColor.intensity(rate: 0.001), HeatmapColor.floor)
        XCTAssertLessThan(HeatmapColor.intensity(rate: 0.1), HeatmapColor.intensity(rate: 0.5))
    }
}
