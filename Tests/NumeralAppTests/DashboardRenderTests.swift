import Foundation
import NumeralStore
import NumeralUI
import NumeralVision
import XCTest
@testable import NumeralApp
@testable import NumeralSession

/// The dashboard drawn from a real (temporary) log with known records, checked by pixel.
final class DashboardRenderTests: XCTestCase {
    private let utc = TimeZone(secondsFromGMT: 0)!
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "numeral-dashboard-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Canvas, in the last two days: 7 read as 7 three times and as 1 once, 1 read as 1 twice,
    /// three without feedback. Uploads, 20 days ago: 4 read as 9 twice and as 4 once.
    private func seed() throws -> PredictionStore {
        let store = try PredictionStore(directory: directory)
        let now = Date()
        func add(_ type: NumeralStore.InputType, _ predicted: String, _ actual: String?, hoursAgo: Double, confidence: Double = 0.9) throws {
            try store.record(PredictionRecord(timestamp: now.addingTimeInterval(-hoursAgo * 3600), inputType: type,
                                              predicted: predicted, confidence: confidence, actual: actual,
                                              modelVersion: "test", latencyMs: 0.5))
        }
        for _ in 0..<3 { try add(.canvas, "7", "7", hoursAgo: 30) }
        try add(.canvas, "1", "7", hoursAgo: 5, confidence: 0.4)
        for _ in 0..<2 { try add(.canvas, "1", "1", hoursAgo: 5) }
        for _ in 0..<3 { try add(.canvas, "2", nil, hoursAgo: 1) }
        for _ in 0..<2 { try add(.upload, "9", "4", hoursAgo: 480) }
        try add(.upload, "4", "4", hoursAgo: 480)
        return store
    }

    private var source: DashboardSource {
        DashboardSource(logDirectory: directory, modelPath: directory + "/missing.safetensors", timeZone: utc)
    }

    /// Runs the reducer's load through the real loader, synchronously.
    private func loadedState(_ query: DashboardQuery = DashboardQuery(), size: UISize = UISize(width: 1280, height: 800)) -> DashboardState {
        var state = DashboardState(width: size.width, height: size.height)
        state.query = query
        let loader = DashboardLoader(source: source)
        for case .load(let q, let request) in reduceDashboard(&state, .opened) {
            _ = reduceDashboard(&state, .loaded(request: request, outcome: loader.load(q)))
        }
        return state
    }

    private func render(_ state: DashboardState, theme: ThemeName = .light, name: String) throws -> DashboardFrame {
        let frame = try DashboardSnapshot.render(state, theme: theme, pixelScale: 1, timeZone: utc)
        if let dir = ProcessInfo.processInfo.environment["NUMERAL_TEST_IMAGES"] {
            try? PNGCodec.writeRGBA(path: "\(dir)/\(name).png", width: frame.width, height: frame.height, rgba: frame.rgba)
        }
        return DashboardFrame(width: frame.width, height: frame.height, rgba: frame.rgba)
    }

    /// A point of a heatmap cell clear of its centered count and its rounded corners.
    private func cellSample(_ layout: DashboardLayout, actual: Int, predicted: Int) -> UIPoint {
        let r = layout.rect(of: HeatmapCell(actual: actual, predicted: predicted))
        return UIPoint(x: r.x + r.width * 0.15, y: r.center.y)
    }

    func testTheLoaderUsesTheStoresAnalytics() throws {
        _ = try seed()
        let data = try XCTUnwrap(loadedState().data)
        XCTAssertEqual(data.report.summary.total, 12)
        XCTAssertEqual(data.report.accuracy.labelled, 9)
        XCTAssertEqual(data.report.accuracy.correct, 6)
        XCTAssertEqual(data.count(actual: 7, predicted: 7), 3)
        XCTAssertEqual(data.count(actual: 7, predicted: 1), 1)
        XCTAssertEqual(data.count(actual: 4, predicted: 9), 2)
        XCTAssertEqual(data.countsByInputType.map(\.type), [.canvas, .upload, .camera, .api])
        XCTAssertEqual(data.countsByInputType.map(\.count), [9, 3, 0, 0])
        XCTAssertEqual(data.report.mostConfused.first, ConfusedPair(actual: 4, predicted: 9, count: 2))
        XCTAssertNil(data.model)
        XCTAssertNotNil(data.modelProblem, "a missing model card is explained, not hidden")
    }

    func testHeatmapCellsAreColoredByTheirRowRate() throws {
        _ = try seed()
        let state = loadedState()
        let frame = try render(state, name: "dashboard-heatmap")
        let p = Palette.light
        let expectations: [(Int, Int, Double?)] = [(7, 7, 0.75), (7, 1, 0.25), (1, 1, 1), (4, 9, 2.0 / 3), (4, 4, 1.0 / 3),
                                                   (7, 3, 0), (3, 3, nil)]
        for (actual, predicted, rate) in expectations {
            let expected = HeatmapColor.fill(rate: rate, onDiagonal: actual == predicted, palette: p)
            let got = frame.pixel(at: cellSample(state.layout, actual: actual, predicted: predicted))
            XCTAssertLessThanOrEqual(dashboardColorDistance(got, expected), 3, "cell \(actual)→\(predicted): \(got) vs \(expected)")
        }
        // Mistakes and correct reads are told apart by hue, not only by shade.
        let mistake = frame.pixel(at: cellSample(state.layout, actual: 7, predicted: 1))
        XCTAssertGreaterThan(Int(mistake.r), Int(mistake.b))
        let correct = frame.pixel(at: cellSample(state.layout, actual: 7, predicted: 7))
        XCTAssertGreaterThan(Int(correct.b), Int(correct.r))
    }

    func testTimelinePointsAreDrawnAtTheirAccuracy() throws {
        _ = try seed()
        let state = loadedState()
        let data = try XCTUnwrap(state.data)
        XCTAssertEqual(data.report.timeline.granularity, .day, "labelled records span 20 days")
        let frame = try render(state, name: "dashboard-timeline")
        let g = TimelineChartGeometry(plot: state.layout.timelinePlot, timeline: data.report.timeline)
        let points = (0..<data.report.timeline.buckets.count).compactMap { g.point(bucket: $0) }
        XCTAssertGreaterThanOrEqual(points.count, 2)
        for point in points {
            XCTAssertLessThanOrEqual(dashboardColorDistance(frame.pixel(at: point), Palette.light.accent), 6, "no dot at \(point)")
        }
        // Between two far-apart points with no feedback in between, nothing is drawn at mid height.
        let card = Palette.light.card
        let empty = UIPoint(x: g.x(bucket: 5), y: g.plot.y + 2)
        XCTAssertEqual(dashboardColorDistance(frame.pixel(at: empty), card), 0, "a day without feedback is a gap")
    }

    func testAnEmptyLogShowsTheEmptyStateInsteadOfCharts() throws {
        let state = loadedState()
        let data = try XCTUnwrap(state.data, "no log file yet is not an error")
        XCTAssertTrue(data.isEmpty)
        XCTAssertNil(state.loadError)
        let frame = try render(state, name: "dashboard-empty")
        let card = Palette.light.card
        // Where the heatmap and the chart would be there is only the empty-state card.
        for point in [cellSample(state.layout, actual: 0, predicted: 0), cellSample(state.layout, actual: 9, predicted: 9),
                      state.layout.timelinePlot.center, state.layout.breakdownCard.center] {
            XCTAssertEqual(dashboardColorDistance(frame.pixel(at: point), card), 0, "chart ink at \(point) in the empty state")
        }
        // The headline is drawn: some dark text pixels across the middle of the body.
        let body = state.layout.body
        let row = Int(body.center.y - 30)
        let inked = stride(from: Int(body.x), to: Int(body.maxX), by: 1).filter {
            dashboardColorDistance(frame.pixel(x: $0, y: row), Palette.light.text) < 120
        }
        XCTAssertGreaterThan(inked.count, 20)
    }

    func testChangingTheFilterChangesTheNumbersAndTheHeatmap() throws {
        _ = try seed()
        let all = loadedState()
        XCTAssertEqual(all.data?.report.summary.total, 12)

        let uploads = loadedState(DashboardQuery(range: .all, input: .upload))
        XCTAssertEqual(uploads.data?.report.summary.total, 3)
        XCTAssertEqual(uploads.data?.count(actual: 7, predicted: 7), 0)
        let week = loadedState(DashboardQuery(range: .week, input: .all))
        XCTAssertEqual(week.data?.report.summary.total, 9, "the uploads are 20 days old")
        XCTAssertEqual(week.data?.count(actual: 4, predicted: 9), 0)
        let day = loadedState(DashboardQuery(range: .day, input: .canvas))
        XCTAssertEqual(day.data?.report.summary.total, 6, "the three 7s are 30 hours old")
        XCTAssertEqual(day.data?.report.timeline.granularity, .hour)

        let p = Palette.light
        let allFrame = try render(all, name: "dashboard-filter-all")
        let weekFrame = try render(week, name: "dashboard-filter-week")
        let sample = cellSample(all.layout, actual: 4, predicted: 9)
        XCTAssertLessThanOrEqual(dashboardColorDistance(allFrame.pixel(at: sample), HeatmapColor.fill(rate: 2.0 / 3, onDiagonal: false, palette: p)), 3)
        XCTAssertLessThanOrEqual(dashboardColorDistance(weekFrame.pixel(at: sample), HeatmapColor.fill(rate: nil, onDiagonal: false, palette: p)), 3,
                                 "no 4s were written this week: the row is blank")
    }

    func testHoveringACellOutlinesItAndShowsATooltip() throws {
        _ = try seed()
        var state = loadedState()
        let cell = HeatmapCell(actual: 7, predicted: 1)
        let r = state.layout.rect(of: cell)
        _ = reduceDashboard(&state, .pointer(PointerEvent(.move, .mouse, at: r.center, time: 1)))
        let frame = try render(state, name: "dashboard-hover")
        XCTAssertLessThanOrEqual(dashboardColorDistance(frame.pixel(at: UIPoint(x: r.x + 0.5, y: r.center.y)), Palette.light.text), 3,
                                 "the hovered cell is outlined")
        // The tooltip box sits below-right of the cell, on the header color.
        let tooltip = UIPoint(x: r.maxX + 12, y: r.maxY + 8)
        XCTAssertEqual(dashboardColorDistance(frame.pixel(at: tooltip), Palette.light.header), 0)
    }

    func testBothThemesRenderAtHiDPIWithoutCrashing() throws {
        _ = try seed()
        let state = loadedState(size: UISize(width: 880, height: 600))
        let frame = try DashboardSnapshot.render(state, theme: .dark, pixelScale: 2, timeZone: utc)
        XCTAssertEqual(frame.width, 1760)
        XCTAssertEqual(frame.height, 1200)
    }
}

/// RGBA pixels read back from an offscreen frame.
struct DashboardFrame {
    let width: Int
    let height: Int
    let rgba: [UInt8]

    func pixel(x: Int, y: Int) -> RGBA {
        let cx = min(max(x, 0), width - 1), cy = min(max(y, 0), height - 1)
        let i = (cy * width + cx) * 4
        return RGBA(rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3])
    }

    func pixel(at p: UIPoint) -> RGBA { pixel(x: Int(p.x), y: Int(p.y)) }
}

func dashboardColorDistance(_ a: RGBA, _ b: RGBA) -> Int {
    abs(Int(a.r) - Int(b.r)) + abs(Int(a.g) - Int(b.g)) + abs(Int(a.b) - Int(b.b))
}
