import Dispatch
import Foundation
import NumeralUI
import NumeralVision

/// What the dashboard needs from the window around it.
protocol DashboardHost: AnyObject {
    /// The dashboard asked to go back to the drawing view.
    func dashboardDidClose()
    func dashboardWantsQuit()
    var dashboardTheme: ThemeName { get }
    /// Output pixels per layout point, so an exported PNG matches the window.
    var dashboardPixelScale: Double { get }
}

/// Owns the dashboard's state and carries out its effects: loading and CSV export on a
/// background queue, PNG export rendered offscreen on the UI thread and written in the
/// background, a once-a-second poll of the log's change token while visible, and the
/// "Improve model" fine-tune on a queue of its own (it takes minutes; loads must not wait for it).
final class DashboardController {
    private(set) var state: DashboardState
    private(set) var isVisible = false
    weak var host: DashboardHost?
    let inbox: DashboardInbox

    private let loader: DashboardLoader
    private let queue = DispatchQueue(label: "numeral.dashboard", qos: .utility)
    private var poller: DispatchSourceTimer?
    private let lastPolled = PolledToken()
    private let exportDirectory: String
    private let pollInterval: Double
    private let timeZone: TimeZone
    private let improver: DashboardImproving?
    private let improvementQueue = DispatchQueue(label: "numeral.improvement", qos: .utility)
    private let cancelImprovement = CancelFlag()

    init(state: DashboardState, loader: DashboardLoader, inbox: DashboardInbox,
         exportDirectory: String = FileManager.default.currentDirectoryPath, pollInterval: Double = 1,
         improver: DashboardImproving? = nil) {
        self.improver = improver
        self.state = state
        self.loader = loader
        self.inbox = inbox
        self.exportDirectory = exportDirectory
        self.pollInterval = pollInterval
        self.timeZone = loader.source.timeZone
    }

    deinit { poller?.cancel() }

    /// Makes the view visible: loads what is missing and starts watching the log.
    @discardableResult
    func show() -> Bool {
        isVisible = true
        startPolling()
        return send(.opened)
    }

    func hide() {
        isVisible = false
        stopPolling()
    }

    /// Applies one event. Returns true when the state changed, i.e. a redraw is needed.
    @discardableResult
    func send(_ event: DashboardEvent) -> Bool {
        let before = state
        let effects = reduceDashboard(&state, event)
        for effect in effects { perform(effect) }
        return state != before
    }

    @discardableResult
    func drainInbox() -> Bool {
        var changed = false
        for event in inbox.drain() { changed = send(event) || changed }
        return changed
    }

    /// Waits (for tests and one-shot captures) until queued loads and exports are done.
    func waitForBackgroundWork() {
        improvementQueue.sync {}
        queue.sync {}
    }

    private func perform(_ effect: DashboardEffect) {
        let inbox = self.inbox, loader = self.loader
        switch effect {
        case .load(let query, let request):
            queue.async {
                inbox.post(.loaded(request: request, outcome: loader.load(query, now: Date())))
            }
        case .export(.csv, let query):
            let path = exportPath(prefix: "numeral-log", extension: "csv")
            queue.async {
                do {
                    let count = try loader.exportCSV(query, now: Date(), to: path)
                    let scope = query.description.isEmpty ? "" : " (\(query.description))"
                    inbox.post(.exported(.csv, path: path, summary: "\(DashboardFormat.count(count)) predictions\(scope)", error: nil))
                } catch {
                    inbox.post(.exported(.csv, path: path, summary: "", error: String(describing: error)))
                }
            }
        case .export(.png, _):
            exportPNG()
        case .export(.pdf, let query):
            let path = exportPath(prefix: "numeral-report", extension: "pdf")
            queue.async {
                do {
                    let summary = try loader.exportReport(query, now: Date(), to: path)
                    inbox.post(.exported(.pdf, path: path, summary: summary, error: nil))
                } catch {
                    inbox.post(.exported(.pdf, path: path, summary: "", error: String(describing: error)))
                }
            }
        case .startImprovement:
            startImprovement()
        case .cancelImprovement:
            cancelImprovement.set(true)
        case .loadImprovementReport:
            let improver = self.improver
            queue.async { inbox.post(.improvementReportLoaded(improver?.latestSummary())) }
        case .close:
            hide()
            host?.dashboardDidClose()
        case .quit:
            host?.dashboardWantsQuit()
        }
    }

    private func startImprovement() {
        let inbox = self.inbox
        guard let improver else {
            inbox.post(.improvementFinished(.failed("Improving is not available in this window: it was started without a prediction log.")))
            return
        }
        let cancel = cancelImprovement
        cancel.set(false)
        let throttle = ProgressThrottle(interval: 0.1)
        improvementQueue.async {
            let outcome = improver.run(progress: { phase, fraction in
                // The trainer reports every batch; the window needs a few updates a second.
                if throttle.shouldPost(phase: phase) { inbox.post(.improvementProgress(phase: phase, fraction: fraction)) }
            }, shouldCancel: { cancel.isSet })
            inbox.post(.improvementFinished(outcome))
        }
    }

    private func exportPNG() {
        let path = exportPath(prefix: "numeral-dashboard", extension: "png")
        let inbox = self.inbox
        do {
            // Rendered now, on the UI thread that owns SDL and the fonts; encoded in the background.
            // The picture shows the dashboard, not the export in progress: no "Exporting…"
            // button label or status line, no hover.
            var shown = state
            shown.exporting = []
            shown.message = nil
            shown.hoveredCell = nil
            shown.hoveredControl = nil
            let frame = try DashboardSnapshot.render(shown, theme: host?.dashboardTheme ?? .light,
                                                     pixelScale: host?.dashboardPixelScale ?? 1, timeZone: timeZone)
            queue.async {
                do {
                    try PNGCodec.writeRGBA(path: path, width: frame.width, height: frame.height, rgba: frame.rgba)
                    inbox.post(.exported(.png, path: path, summary: "the dashboard (\(frame.width)×\(frame.height) PNG)", error: nil))
                } catch {
                    inbox.post(.exported(.png, path: path, summary: "", error: String(describing: error)))
                }
            }
        } catch {
            inbox.post(.exported(.png, path: path, summary: "", error: String(describing: error)))
        }
    }

    private func exportPath(prefix: String, extension ext: String) -> String {
        let stamp = LocalTimestamp(date: Date(), timeZone: timeZone).compact
        let base = (exportDirectory as NSString).appendingPathComponent("\(prefix)-\(stamp)")
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
        let loader = self.loader, inbox = self.inbox, last = lastPolled
        timer.schedule(deadline: .now() + pollInterval, repeating: pollInterval, leeway: .milliseconds(100))
        timer.setEventHandler {
            // A failing poll (log locked for a moment, file replaced) is retried next second;
            // a real problem shows up in the next load's error.
            guard let token = try? loader.changeToken(), token != last.value else { return }
            last.value = token
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

/// The last token the poller reported; only touched on the dashboard's queue.
private final class PolledToken: @unchecked Sendable {
    var value: Int64?
}

/// Set from the UI thread, read by the running improvement between batches.
private final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set(_ v: Bool) { lock.lock(); value = v; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Lets a progress update through when the phase changed or `interval` seconds have passed.
/// Only touched on the improvement queue.
private final class ProgressThrottle: @unchecked Sendable {
    private let interval: Double
    private var lastPhase: String?
    private var lastPosted = Date.distantPast

    init(interval: Double) { self.interval = interval }

    func shouldPost(phase: String) -> Bool {
        let now = Date()
        guard phase != lastPhase || now.timeIntervalSince(lastPosted) >= interval else { return false }
        lastPhase = phase
        lastPosted = now
        return true
    }
}
