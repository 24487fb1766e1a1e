import NumeralVision

/// How pointer input (mouse, pen, touch) changes the state: drawing strokes and pressing buttons.
func reducePointer(_ state: inout AppState, _ p: PointerEvent) -> [AppEffect] {
    // One gesture at a time: while a pointer owns the canvas or a button, everything else
    // (a second finger, a palm, the mouse) is ignored.
    if let owner = state.activePointer, owner != p.source { return [] }

    switch p.phase {
    case .down:
        guard state.activePointer == nil else { return [] }
        if state.layout.canvas.contains(p.position) {
            // Feedback finishes a drawing: "Thank you! Draw another digit" means the next digit
            // (or the kiosk's next visitor) starts on a clean canvas, not on top of the last one
            // (on the desktop a "2", confirmed, then a "1" used to read "21").
            if let shown = state.prediction, shown.feedback.isGiven {
                _ = clearCanvas(&state)
            }
            beginStroke(&state, p)
            return []
        }
        let cells = state.prediction?.display.digits.count ?? 0
        if cells > 1, let cell = state.layout.stripCell(at: p.position, count: cells) {
            state.selectedDigit = cell
            return []
        }
        if let button = state.layout.button(at: p.position) {
            state.activePointer = p.source
            state.pressedButton = button
        }
        return []

    case .move:
        if state.activePointer == nil {
            if p.source == .mouse { state.hoveredButton = state.layout.button(at: p.position) }
            return []
        }
        if state.currentStroke != nil { appendPoint(&state, p) }
        if p.source == .mouse, state.pressedButton != nil {
            state.hoveredButton = state.layout.button(at: p.position)
        }
        return []

    case .up, .cancel:
        guard state.activePointer != nil else { return [] }
        state.activePointer = nil
        if state.currentStroke != nil {
            if p.phase == .up { appendPoint(&state, p) }
            endStroke(&state, time: p.time)
            return []
        }
        let pressed = state.pressedButton
        state.pressedButton = nil
        state.hoveredButton = p.source == .mouse ? state.layout.button(at: p.position) : nil
        // Like any desktop button: it fires only if released over the button it was pressed on.
        if p.phase == .up, let pressed, state.layout.rect(of: pressed)?.contains(p.position) == true {
            return runCommand(&state, AppCommand(pressed), time: p.time)
        }
        return []
    }
}

func beginStroke(_ state: inout AppState, _ p: PointerEvent) {
    if state.picture != nil {
        // Drawing over a dropped picture starts a fresh drawing rather than mixing the two.
        state.picture = nil
        state.pictureName = nil
        state.prediction = nil
        state.strokeEpoch += 1
    }
    if !state.hasInk {
        state.drawingSize = state.layout.canvas.size
        state.drawingStartTime = p.time
    }
    state.activePointer = p.source
    state.hoveredButton = nil
    state.nothingDrawn = false
    // The drawing is changing; a live prediction now would describe a half-drawn digit.
    state.recognitionDueAt = nil
    state.currentStroke = Stroke(points: [])
    appendPoint(&state, p)
}

func appendPoint(_ state: inout AppState, _ p: PointerEvent) {
    guard p.position.x.isFinite, p.position.y.isFinite else { return }
    let d = state.canvasMapping.toDrawing(p.position)
    let pressure = p.pressure.flatMap { $0.isFinite ? min(max($0, 0), 1) : nil }
    let time = state.drawingStartTime.map { max(0, p.time - $0) }
    let point = StrokePoint(x: d.x, y: d.y, pressure: pressure, time: time)
    if let last = state.currentStroke?.points.last {
        let dx = last.x - point.x, dy = last.y - point.y
        if dx * dx + dy * dy < state.settings.minimumPointSpacing * state.settings.minimumPointSpacing { return }
    }
    state.currentStroke?.points.append(point)
}

func endStroke(_ state: inout AppState, time: Double) {
    guard let stroke = state.currentStroke else { return }
    state.currentStroke = nil
    guard !stroke.points.isEmpty else { return }
    state.strokes.append(stroke)
    contentChanged(&state)
    state.lastEditTime = time
    state.recognitionDueAt = time + state.settings.debounce
}

/// The canvas now shows something new: results for what was there before are stale.
func contentChanged(_ state: inout AppState) {
    state.revision += 1
    state.nothingDrawn = false
    if state.prediction != nil, state.strokes.isEmpty, state.picture == nil {
        state.prediction = nil
    }
}

