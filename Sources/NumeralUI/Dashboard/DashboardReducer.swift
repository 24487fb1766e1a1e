/// The only way the dashboard's state changes. Pure, like `reduce`: time, data and file
/// results arrive as events, and the I/O it needs leaves as effects.
public func reduceDashboard(_ state: inout DashboardState, _ event: DashboardEvent) -> [DashboardEffect] {
    switch event {
    case .opened:
        state.hoveredControl = nil
        state.pressedControl = nil
        state.activePointer = nil
        state.hoveredCell = nil
        // `numeral improve` may have run since the view was last open: its report is read again.
        let report: [DashboardEffect] = state.isImproving ? [] : [.loadImprovementReport]
        if state.isLoading { return report }
        // Reopening shows what was loaded at once; the poller reports if the log moved meanwhile.
        if state.data != nil, state.shownQuery == state.query, state.loadError == nil { return report }
        return startLoad(&state) + report

    case .adminAuthorized(let until):
        state.adminUntil = until
        return []

    case .pointer(let p):
        state.time = max(state.time, p.time)
        return dashboardPointer(&state, p)

    case .pointerLeft:
        if state.activePointer == nil {
            state.hoveredControl = nil
            state.hoveredCell = nil
        }
        return []

    case .key(let press):
        state.time = max(state.time, press.time)
        return dashboardKey(&state, press)

    case .resized(let width, let height):
        state.layout = DashboardLayout(width: width, height: height)
        state.hoveredControl = nil
        state.hoveredCell = nil
        return []

    case .logChanged(let token):
        guard token != state.token else { return [] }
        if state.isLoading {
            state.reloadWanted = true
            return []
        }
        return startLoad(&state)

    case .loaded(let request, let outcome):
        guard request == state.pendingRequest else { return [] }
        state.pendingRequest = nil
        let loadedQuery = state.pendingQuery
        switch outcome {
        case .success(let data, let token):
            state.data = data
            if loadedQuery?.device == nil { state.knownDevices = data.countsByDevice.map(\.name).sorted() }
            state.shownQuery = loadedQuery
            state.token = token
            state.loadError = nil
            if state.message?.kind == .error { state.message = nil }
        case .failure(let problem):
            state.loadError = problem
            state.message = StatusMessage("Could not read the log: \(problem)", .error)
        }
        // The log or the filter changed while this load ran: what arrived is already stale.
        state.pendingQuery = nil
        if state.reloadWanted || loadedQuery != state.query {
            return startLoad(&state)
        }
        return []

    case .exported(let kind, let path, let summary, let error):
        state.exporting.remove(kind)
        if let error {
            let what = kind == .png ? "the dashboard image" : kind == .pdf ? "the report" : "the log"
            state.message = StatusMessage("Could not export \(what) to \(path): \(error)", .error)
        } else {
            state.message = StatusMessage("Exported \(summary) to \(path)", .success)
        }
        return []

    case .improveTapped:
        return improveTapped(&state)
    case .improvementProgress(let phase, let fraction):
        return improvementProgressed(&state, phase: phase, fraction: fraction)
    case .improvementFinished(let outcome):
        return improvementFinished(&state, outcome)
    case .improvementReportLoaded(let summary):
        // A report that just arrived from a run in this window is newer than anything on disk was.
        if !state.isImproving, let summary { state.lastImprovement = summary }
        return []
    }
}

/// Loads again now, or after the load in flight, so the data follows a change of model.
func reloadDashboard(_ state: inout DashboardState) -> [DashboardEffect] {
    if state.isLoading {
        state.reloadWanted = true
        return []
    }
    return startLoad(&state)
}

private func startLoad(_ state: inout DashboardState) -> [DashboardEffect] {
    let request = state.nextRequest
    state.nextRequest += 1
    state.pendingRequest = request
    state.reloadWanted = false
    state.pendingQuery = state.query
    return [.load(state.query, request: request)]
}

// MARK: - Pointer

private func dashboardPointer(_ state: inout DashboardState, _ p: PointerEvent) -> [DashboardEffect] {
    if let owner = state.activePointer, owner != p.source { return [] }
    let layout = state.layout
    switch p.phase {
    case .down:
        guard state.activePointer == nil else { return [] }
        if let control = layout.control(at: p.position) {
            state.activePointer = p.source
            state.pressedControl = control
            return []
        }
        if let cell = layout.heatmapCell(at: p.position), state.data?.isEmpty == false {
            // A tap (or click) pins the cell's numbers; tapping it again unpins them.
            state.selectedCell = state.selectedCell == cell ? nil : cell
            if p.source != .mouse { state.hoveredCell = nil }
        } else {
            state.selectedCell = nil
        }
        return []

    case .move:
        if p.source == .mouse {
            state.hoveredControl = layout.control(at: p.position)
            if state.activePointer == nil {
                state.hoveredCell = state.data?.isEmpty == false ? layout.heatmapCell(at: p.position) : nil
            }
        }
        return []

    case .up, .cancel:
        guard state.activePointer != nil else { return [] }
        state.activePointer = nil
        let pressed = state.pressedControl
        state.pressedControl = nil
        state.hoveredControl = p.source == .mouse ? layout.control(at: p.position) : nil
        if p.phase == .up, let pressed, layout.rect(of: pressed)?.contains(p.position) == true {
            return activateDashboard(&state, pressed)
        }
        return []
    }
}

private func activateDashboard(_ state: inout DashboardState, _ control: DashboardControl) -> [DashboardEffect] {
    switch control {
    case .back:
        return [.close]
    case .exportPNG:
        return export(&state, .png)
    case .exportCSV:
        return export(&state, .csv)
    case .exportPDF:
        return export(&state, .pdf)
    case .improve:
        return improveTapped(&state)
    case .range(let range):
        return select(&state, DashboardQuery(range: range, input: state.query.input, device: state.query.device))
    case .input(let input):
        return select(&state, DashboardQuery(range: state.query.range, input: input, device: state.query.device))
    case .device:
        return select(&state, DashboardQuery(range: state.query.range, input: state.query.input, device: nextDevice(state)))
    }
}

/// All devices, then each device the log knows, then all again.
func nextDevice(_ state: DashboardState) -> String? {
    let devices = state.knownDevices
    guard !devices.isEmpty else { return nil }
    guard let current = state.query.device, let index = devices.firstIndex(of: current) else { return devices[0] }
    return index + 1 < devices.count ? devices[index + 1] : nil
}

private func select(_ state: inout DashboardState, _ query: DashboardQuery) -> [DashboardEffect] {
    guard query != state.query else { return [] }
    state.query = query
    state.selectedCell = nil
    state.hoveredCell = nil
    if state.isLoading {
        state.reloadWanted = true
        return []
    }
    return startLoad(&state)
}

/// Whether Improve and the exports may run now: always outside a kiosk; in one, while the
/// admin PIN's grace lasts.
func adminActionAllowed(_ state: inout DashboardState) -> Bool {
    guard state.isKiosk else { return true }
    if let until = state.adminUntil, state.time < until { return true }
    state.message = StatusMessage("Improving and exporting need the admin PIN again: hold the admin corner, then Open dashboard.", .error)
    return false
}

private func export(_ state: inout DashboardState, _ kind: DashboardExportKind) -> [DashboardEffect] {
    guard !state.exporting.contains(kind), adminActionAllowed(&state) else { return [] }
    if kind == .png, state.data == nil {
        state.message = StatusMessage("Nothing to export yet: the log is still loading.", .info)
        return []
    }
    state.exporting.insert(kind)
    let what = kind == .png ? "the dashboard image" : kind == .pdf ? "the PDF report" : "the log"
    state.message = StatusMessage("Exporting \(what)…", .info)
    return [.export(kind, state.query)]
}

// MARK: - Keys

private func dashboardKey(_ state: inout DashboardState, _ press: KeyPress) -> [DashboardEffect] {
    switch press.key {
    case .escape, .backspace:
        return [.close]
    case .letter(let c):
        switch (c, press.ctrl) {
        case ("q", _): return [.quit]
        case ("d", false): return [.close]
        case ("r", false): return state.isLoading ? [] : startLoad(&state)
        case ("e", false): return export(&state, .png)
        case ("x", false): return export(&state, .csv)
        case ("p", false): return export(&state, .pdf)
        case ("i", false): return improveTapped(&state)
        case ("v", false):
            return select(&state, DashboardQuery(range: state.query.range, input: state.query.input, device: nextDevice(state)))
        default: return []
        }
    case .digit(let d):
        // 1-4 pick the date range, like the chips from left to right.
        let ranges = DashboardRange.allCases
        guard (1...ranges.count).contains(d) else { return [] }
        return select(&state, DashboardQuery(range: ranges[d - 1], input: state.query.input, device: state.query.device))
    default:
        return []
    }
}
