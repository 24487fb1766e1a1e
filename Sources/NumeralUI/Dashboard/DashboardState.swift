/// Everything the dashboard view shows, as a plain value. Changed only by `reduceDashboard`.
public struct DashboardState: Equatable, Sendable {
    public var layout: DashboardLayout
    /// What the chips select.
    public var query = DashboardQuery()
    /// The devices seen in the log when it was last loaded for all devices: what the device
    /// chip steps through.
    public var knownDevices: [String] = []
    /// Shown in a kiosk (admin only): no keyboard hints for keys that are locked there, and no
    /// file path a touchscreen user can do nothing with.
    public var isKiosk = false
    /// In a kiosk, until when (event time) Improve and the exports may run: a while after the
    /// admin PIN opened the view (`KioskSettings.adminGrace`). Later presses, a visitor's at a
    /// dashboard an admin left open, are refused with a message; the admin corner grants more.
    public var adminUntil: Double?
    /// The latest time a pointer or key event carried.
    public var time: Double = 0
    /// The data on screen and the query it answers (it lags `query` while a load runs).
    public var data: DashboardData?
    public var shownQuery: DashboardQuery?
    /// The log's change token when `data` was read; a different token means new data.
    public var token: Int64?
    /// The load in flight, if any; replies to older requests are dropped.
    public var pendingRequest: Int?
    public var pendingQuery: DashboardQuery?
    public var nextRequest = 1
    /// The log changed (or the filter did) while a load ran: load again when it returns.
    public var reloadWanted = false
    /// Why the last load failed, shown until one succeeds.
    public var loadError: String?
    public var exporting: Set<DashboardExportKind> = []
    /// The fine-tune running in the background, if any.
    public var improvement: ImprovementRun?
    /// The report of the latest improvement: the one just run, or the newest on disk when the view opened.
    public var lastImprovement: ImprovementReport?
    /// Why the last "Improve model" failed (no MNIST, not enough feedback...), shown in the
    /// improvement card until the next run.
    public var improvementProblem: String?

    public var activePointer: PointerSource?
    public var pressedControl: DashboardControl?
    public var hoveredControl: DashboardControl?
    /// The heatmap cell under the mouse, and the one tapped or clicked (kept until tapped again).
    public var hoveredCell: HeatmapCell?
    public var selectedCell: HeatmapCell?
    public var message: StatusMessage?

    public init(width: Double = Layout.defaultSize.width, height: Double = Layout.defaultSize.height) {
        layout = DashboardLayout(width: width, height: height)
    }

    /// The cell the tooltip and status line describe: the hovered one wins over the pinned one.
    public var inspectedCell: HeatmapCell? { hoveredCell ?? selectedCell }

    public var isLoading: Bool { pendingRequest != nil }

    public var isImproving: Bool { improvement != nil }

    /// "Actual 4 read as 9: 12 of 230 (5.2% of 4s)": the tooltip text for a cell.
    public func describe(_ cell: HeatmapCell) -> String? {
        guard let data else { return nil }
        let count = data.count(actual: cell.actual, predicted: cell.predicted)
        let total = data.rowTotal(actual: cell.actual)
        guard total > 0 else { return "No labelled \(cell.actual)s yet" }
        let share = DashboardFormat.percent(Double(count) / Double(total))
        let verb = cell.actual == cell.predicted ? "read correctly" : "read as \(cell.predicted)"
        return "\(cell.actual) \(verb): \(count) of \(total) (\(share) of \(cell.actual)s)"
    }
}

public enum DashboardExportKind: String, Equatable, Hashable, Sendable {
    case png, csv
    /// The printable PDF report (`numeral report`).
    case pdf
}

public enum DashboardLoadOutcome: Equatable, Sendable {
    /// `token` is the log's change token read before the records, nil when there is no log yet.
    case success(DashboardData, token: Int64?)
    case failure(String)
}

/// Things that happen to the dashboard: input, and replies from background loading and exports.
public enum DashboardEvent: Equatable, Sendable {
    /// The view became visible: load if there is nothing (or something stale) to show.
    case opened
    /// In a kiosk: the admin PIN was entered; Improve and the exports may run until `until`.
    case adminAuthorized(until: Double)
    case pointer(PointerEvent)
    case pointerLeft
    case key(KeyPress)
    case resized(width: Double, height: Double)
    /// The poller saw the log's change token move.
    case logChanged(token: Int64)
    case loaded(request: Int, outcome: DashboardLoadOutcome)
    /// `summary` is what was written ("412 predictions"), `error` why nothing was.
    case exported(DashboardExportKind, path: String, summary: String, error: String?)
    /// "Improve model" (or, while one runs, "Cancel") was pressed, or the I key.
    case improveTapped
    /// The running improvement reached `fraction` (0...1) of its work, now doing `phase`.
    case improvementProgress(phase: String, fraction: Double)
    case improvementFinished(ImprovementOutcome)
    /// The newest stored improvement report, nil when no improvement was ever run.
    case improvementReportLoaded(ImprovementReport?)
}

/// Work the dashboard asks the window layer to do; results come back as `DashboardEvent`s.
public enum DashboardEffect: Equatable, Sendable {
    /// Read the log (off the UI thread) and reply with `.loaded(request:...)`.
    case load(DashboardQuery, request: Int)
    /// PNG: render the dashboard offscreen at the current size; CSV: the log rows of `query`.
    case export(DashboardExportKind, DashboardQuery)
    /// Fine-tune the model in the background, replying with `.improvementProgress` and `.improvementFinished`.
    case startImprovement
    /// Ask the running improvement to stop at its next check.
    case cancelImprovement
    /// Read the newest stored improvement report and reply with `.improvementReportLoaded`.
    case loadImprovementReport
    /// Back to the drawing view.
    case close
    case quit
}

extension DashboardEvent {
    /// The window's input events as the dashboard sees them; nil for events only the
    /// drawing view handles (recognition replies, dropped files...).
    public init?(_ event: AppEvent) {
        switch event {
        case .pointer(let p): self = .pointer(p)
        case .pointerLeft: self = .pointerLeft
        case .key(let k): self = .key(k)
        case .resized(let w, let h): self = .resized(width: w, height: h)
        default: return nil
        }
    }
}
