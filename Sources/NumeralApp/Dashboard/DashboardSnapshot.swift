import Foundation
import NumeralSession
import NumeralUI
import NumeralVision

/// The dashboard rendered offscreen with the software renderer: for PNG export from the
/// window and for `numeral dashboard --screenshot`, which needs no display.
public enum DashboardSnapshot {
    /// Draws `state` at its layout size times `pixelScale` and returns RGBA bytes.
    public static func render(_ state: DashboardState, theme: ThemeName, pixelScale: Double = 1,
                              timeZone: TimeZone = .current) throws -> (width: Int, height: Int, rgba: [UInt8]) {
        let scale = pixelScale.isFinite && pixelScale > 0 ? pixelScale : 1
        let size = state.layout.size
        let offscreen = try Renderer(offscreenWidth: Int((size.width * scale).rounded()), height: Int((size.height * scale).rounded()))
        DashboardRenderer(painter: try Painter(renderer: offscreen), timeZone: timeZone).draw(state, theme: theme, pixelScale: scale)
        return try offscreen.readRGBA()
    }

    /// Loads the log (and, from `improver`, the latest improvement report) synchronously, renders
    /// the dashboard for `query` and writes it as PNG.
    public static func write(to path: String, source: DashboardSource, size: UISize, theme: ThemeName,
                             query: DashboardQuery = DashboardQuery(), pixelScale: Double = 1, now: Date = Date(),
                             improver: DashboardImproving? = nil) throws {
        var state = DashboardState(width: size.width, height: size.height)
        state.query = query
        let loader = DashboardLoader(source: source)
        // Through the reducer, so the picture shows exactly what the window would.
        for effect in reduceDashboard(&state, .opened) {
            switch effect {
            case .load(let q, let request):
                _ = reduceDashboard(&state, .loaded(request: request, outcome: loader.load(q, now: now)))
            case .loadImprovementReport:
                _ = reduceDashboard(&state, .improvementReportLoaded(improver?.latestReport()))
            default:
                break
            }
        }
        if let problem = state.loadError { throw DashboardSnapshotError.unreadableLog(problem) }
        let frame = try render(state, theme: theme, pixelScale: pixelScale, timeZone: source.timeZone)
        try PNGCodec.writeRGBA(path: path, width: frame.width, height: frame.height, rgba: frame.rgba)
    }
}

public enum DashboardSnapshotError: Error, CustomStringConvertible, Equatable {
    case unreadableLog(String)

    public var description: String {
        switch self {
        case .unreadableLog(let problem): return "cannot draw the dashboard: \(problem)"
        }
    }
}
