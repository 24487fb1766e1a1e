import Dispatch
import Foundation
import NumeralUI
import NumeralVision

/// Owns the dashboard's state and carries out its effects: loading and CSV export on a
/// background queue, PNG export rendered offscreen on the UI thread and written in the
/// background, a once-a-second poll of the log's change token while visible, and the
/// "Improve model" fine-tune on a queue of its own (it takes minutes; loads must not wait for it).
public final class DashboardController {
    public let runner: SessionRunner<DashboardState, DashboardEvent, [DashboardEffect]>
    public private(set) var isVisible = false
    public weak var host: DashboardHost?

    private let loader: DashboardLoader
    private let queue = DispatchQueue(label: "numeral.dashboard", qos: .utility)
    private var poller: DispatchSourceTimer?
    /// The last change token the poller reported.
    private let lastPolled = Locked<Int64?>(nil)
    /// Where exports go; nil: the user's Pictures (PNG) or Documents (CSV, PDF) folder.
    private let exportDirectory: String?
    private let pollInterval: Double
    private let timeZone: TimeZone
    private let improver: DashboardImproving?
    private let improvementQueue = DispatchQueue(label: "numeral.improvement", qos: .utility)
    /// Set from the UI thread, read by the running improvement between batches.
    private let cancelImprovement = Locked(false)

    public init(state: DashboardState, loader: DashboardLoader, inbox: Inbox<DashboardEvent> = Inbox(),
                exportDirectory: String? = nil, pollInterval: Double = 1,
                improver: DashboardImproving? = nil) {
        self.improver = improver
        self.loader = loader
        self.exportDirectory = exportDirectory
        self.pollInterval = pollInterval
        self.timeZone = loader.source.timeZone
        runner = SessionRunner(state: state, inbox: inbox, reduce: reduceDashboard)
        runner.perform = { [unowned self] in self.perform($0) }
    }

    deinit { poller?.cancel() }

    public var state: DashboardState { runner.state }
    public var inbox: Inbox<DashboardEvent> { runner.inbox }

    /// Makes the view visible: loads what is missing and starts watching the log.
    @discardableResult
    public func show() -> Bool {
        isVisible = true
        startPolling()
        return send(.opened)
    }

    public func hide() {
        isVisible = false
        stopPolling()
    }

    /// Applies one event. Returns true when the state changed, i.e. a redraw is needed.
    @discardableResult
    public func send(_ event: DashboardEvent) -> Bool { runner.send(event) }

    @discardableResult
    public func drainInbox() -> Bool { runner.drainInbox() }

    /// Waits (for tests and one-shot captures) until queued loads and exports are done.
    public func waitForBackgroundWork() {
        improvementQueue.sync {}
        queue.sync {}
    }

    private func perform(_ effect: DashboardEffect) {
        let loader = self.loader
        switch effect {
        case .load(let query, let request):
            runner.reply(on: queue) { .loaded(request: request, outcome: loader.load(query, now: Date())) }
        case .export(.csv, let query):
            let path = exportPath(prefix: "numeral-log", extension: "csv")
            runner.reply(on: queue) {
                do {
                    let count = try loader.exportCSV(query, now: Date(), to: path)
                    let scope = query.description.isEmpty ? "" : " (\(query.description))"
                    return .exported(.csv, path: path, summary: "\(DashboardFormat.count(count)) predictions\(scope)", error: nil)
                } catch {
                    return .exported(.csv, path: path, summary: "", error: String(describing: error))
                }
            }
        case .export(.png, _):
            exportPNG()
        case .export(.pdf, let query):
            let path = exportPath(prefix: "numeral-report", extension: "pdf")
            runner.reply(on: queue) {
                do {
                    return .exported(.pdf, path: path, summary: try loader.exportReport(query, now: Date(), to: path), error: nil)
                } catch {
                    return .exported(.pdf, path: path, summary: "", error: String(describing: error))
                }
            }
        case .startImprovement:
            startImprovement()
        case .cancelImprovement:
            cancelImprovement.current = true
        case .loadImprovementReport:
            let improver = self.improver
            runner.reply(on: queue) { .improvementReportLoaded(improver?.latestReport()) }
        case .close:
            hide()
            host?.dashboardDidClose()
        case .quit:
            host?.dashboardWantsQuit()
        }
    }

    private func startImprovement() {
        let inbox = runner.inbox
        guard let improver else {
            inbox.post(.improvementFinished(.failed("Improving is not available in this window: it was started without a prediction log.")))
            return
        }
        let cancel = cancelImprovement
        cancel.current = false
        let throttle = Locked(ProgressThrottle(interval: 0.1))
        runner.reply(on: improvementQueue) {
            .improvementFinished(improver.run(progress: { phase, fraction in
                // The trainer reports every batch; the window needs a few updates a second.
                if throttle.withLock({ $0.shouldPost(phase: phase) }) {
                    inbox.post(.improvementProgress(phase: phase, fraction: fraction))
                }
            }, shouldCancel: { cancel.current }))
        }
    }

    private func exportPNG() {
        let path = exportPath(prefix: "numeral-dashboard", extension: "png")
        do {
            // Rendered now, on the UI thread that owns SDL and the fonts; encoded in the background.
            // The picture shows the dashboard, not the export in progress: no "Exporting…"
            // button label or status line, no hover.
            var shown = state
            shown.exporting = []
            shown.message = nil
            shown.hoveredCell = nil
            shown.hoveredControl = nil
            guard let host else { throw DashboardExportError.noWindow }
            let frame = try host.renderDashboard(shown)
            runner.reply(on: queue) {
                do {
                    try PNGCodec.writeRGBA(path: path, width: frame.width, height: frame.height, rgba: frame.rgba)
                    return .exported(.png, path: path, summary: "the dashboard (\(frame.width)×\(frame.height) PNG)", error: nil)
                } catch {
                    return .exported(.png, path: path, summary: "", error: String(describing: error))
                }
            }
        } catch {
            runner.inbox.post(.exported(.png, path: path, summary: "", error: String(describing: error)))
        }
    }

    private func exportPath(prefix: String, extension ext: String) -> String {
        let stamp = LocalTimestamp(date: Date(), timeZone: timeZone).compact
        let directory = exportDirectory ?? (ext == "png" ? UserDirectory.pictures : UserDirectory.documents).path()
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = (directory as NSString).appendingPathComponent("\(prefix)-\(stamp)")
        var path = "\(base).\(ext)"
        var n = 2
        // Two exports in the same second must not overwrite each other.
        while FileManager.default.fileExists(atPath: path) {
            path = "\(base)-\(n).\(ext)"
            n += 1
        }
        return path
    }

    // MARK: - Watching the log

    private func startPolling() {
        guard poller == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let loader = self.loader, inbox = runner.inbox, last = lastPolled
        timer.schedule(deadline: .now() + pollInterval, repeating: pollInterval, leeway: .milliseconds(100))
        timer.setEventHandler {
            // A failing poll (log locked for a moment, file replaced) is retried next second;
            // a real problem shows up in the next load's error.
            guard let token = try? loader.changeToken(), token != last.current else { return }
            last.current = token
            inbox.post(.logChanged(token: token))
        }
        timer.resume()
        poller = timer
    }

    private func stopPolling() {
        poller?.cancel()
        poller = nil
    }
}

/// Lets a progress update through when the phase changed or `interval` seconds have passed.
private struct ProgressThrottle {
    private let interval: Double
    private var lastPhase: String?
    private var lastPosted = Date.distantPast

    init(interval: Double) { self.interval = interval }

    mutating func shouldPost(phase: String) -> Bool {
        let now = Date()
        guard phase != lastPhase || now.timeIntervalSince(lastPosted) >= interval else { return false }
        lastPhase = phase
        lastPosted = now
        return true
    }
}
