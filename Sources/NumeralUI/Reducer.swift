import NumeralVision

/// The only way the window's state changes. Pure: no I/O and no clock reads (time arrives
/// inside events), so every behavior of the window can be tested without a window.
/// Returns the work the SDL layer must do; its replies come back as events.
public func reduce(_ state: inout AppState, _ event: AppEvent) -> [AppEffect] {
    switch event {
    case .pointer(let p):
        return reducePointer(&state, p)
    case .pointerLeft:
        if state.activePointer == nil { state.hoveredButton = nil }
        return []
    case .key(let press):
        return reduceKey(&state, press)
    case .resized(let width, let height):
        state.layout = Layout(width: width, height: height, variant: state.layout.variant)
        if !state.hasInk { state.drawingSize = state.layout.canvas.size }
        state.hoveredButton = nil
        return []
    case .tick(let time):
        return reduceTick(&state, time: time)
    case .fileDropped(let path):
        state.fileInFlight = path
        state.recognitionDueAt = nil
        state.message = StatusMessage("Reading \(fileName(path))…", .info)
        return [.recognizeFile(path: path, revision: state.revision)]
    case .recognitionFinished(let revision, let outcome):
        return reduceRecognition(&state, revision: revision, outcome: outcome)
    case .fileRecognitionFinished(let path, let revision, let outcome):
        return reduceFileRecognition(&state, path: path, revision: revision, outcome: outcome)
    case .predictionLogged(let serial, let outcome):
        return reducePredictionLogged(&state, serial: serial, outcome: outcome)
    case .feedbackLogged(let serial, let actual, let error):
        guard var shown = state.prediction, shown.serial == serial else { return [] }
        if let error {
            shown.feedback = .failed(actual: actual, message: error)
            state.message = StatusMessage("Could not record \(actual): \(error)", .error)
        } else {
            shown.feedback = .recorded(actual: actual)
            state.message = StatusMessage("Recorded: \(actual)", .success)
        }
        state.prediction = shown
        return []
    case .screenshotSaved(let path, let error):
        if let error {
            state.message = StatusMessage("Could not save screenshot: \(error)", .error)
        } else {
            state.message = StatusMessage("Saved screenshot \(path)", .success)
        }
        return []
    case .quitRequested:
        state.isQuitting = true
        return [.quit]
    case .startOver:
        state.hoveredButton = nil
        state.pressedButton = nil
        state.activePointer = nil
        return clear(&state)
    }
}

// MARK: - Pointer

private func reducePointer(_ state: inout AppState, _ p: PointerEvent) -> [AppEffect] {
    // One gesture at a time: while a pointer owns the canvas or a button, everything else
    // (a second finger, a palm, the mouse) is ignored.
    if let owner = state.activePointer, owner != p.source { return [] }

    switch p.phase {
    case .down:
        guard state.activePointer == nil else { return [] }
        if state.layout.canvas.contains(p.position) {
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
            return activate(&state, pressed, time: p.time, stamp: nil)
        }
        return []
    }
}

private func beginStroke(_ state: inout AppState, _ p: PointerEvent) {
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

private func appendPoint(_ state: inout AppState, _ p: PointerEvent) {
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

private func endStroke(_ state: inout AppState, time: Double) {
    guard let stroke = state.currentStroke else { return }
    state.currentStroke = nil
    guard !stroke.points.isEmpty else { return }
    state.strokes.append(stroke)
    contentChanged(&state)
    state.lastEditTime = time
    state.recognitionDueAt = time + state.settings.debounce
}

/// The canvas now shows something new: results for what was there before are stale.
private func contentChanged(_ state: inout AppState) {
    state.revision += 1
    state.nothingDrawn = false
    if state.prediction != nil, state.strokes.isEmpty, state.picture == nil {
        state.prediction = nil
    }
}

// MARK: - Commands

private func activate(_ state: inout AppState, _ button: ButtonID, time: Double, stamp: LocalTimestamp?) -> [AppEffect] {
    switch button {
    case .undo: return undo(&state, time: time)
    case .clear: return clear(&state)
    case .predict: return predict(&state)
    case .correct: return giveFeedback(&state, digit: nil)
    case .digit(let d): return giveFeedback(&state, digit: d)
    case .theme:
        state.theme = state.theme.toggled
        return []
    case .dashboard: return [.openDashboard]
    }
}

private func undo(_ state: inout AppState, time: Double) -> [AppEffect] {
    guard state.currentStroke == nil, !state.strokes.isEmpty else { return [] }
    state.strokes.removeLast()
    state.strokeEpoch += 1
    contentChanged(&state)
    state.lastEditTime = time
    state.recognitionDueAt = state.strokes.isEmpty ? nil : time + state.settings.debounce
    if state.strokes.isEmpty { state.message = nil }
    return []
}

private func clear(_ state: inout AppState) -> [AppEffect] {
    let hadContent = state.hasInk || state.picture != nil || state.prediction != nil
    state.strokes = []
    state.currentStroke = nil
    if state.activePointer != nil, state.pressedButton == nil { state.activePointer = nil }
    state.picture = nil
    state.pictureName = nil
    state.prediction = nil
    state.recognitionDueAt = nil
    state.nothingDrawn = false
    state.selectedDigit = 0
    state.message = nil
    state.drawingSize = state.layout.canvas.size
    if hadContent {
        state.strokeEpoch += 1
        state.revision += 1
    }
    return []
}

private func predict(_ state: inout AppState) -> [AppEffect] {
    if state.strokes.isEmpty {
        if state.picture != nil, state.isPredictionCurrent { return [] }
        state.nothingDrawn = true
        state.recognitionDueAt = nil
        state.message = StatusMessage("Nothing drawn yet: draw a digit on the canvas, then predict.", .info)
        return []
    }
    if state.isPredictionCurrent || state.inFlightRevision == state.revision { return [] }
    return startRecognition(&state)
}

private func startRecognition(_ state: inout AppState) -> [AppEffect] {
    state.recognitionDueAt = nil
    state.inFlightRevision = state.revision
    return [.recognize(state.drawing, revision: state.revision)]
}

/// `digit == nil` confirms the prediction; a digit corrects the selected digit of it.
private func giveFeedback(_ state: inout AppState, digit: Int?) -> [AppEffect] {
    guard var shown = state.prediction else {
        state.message = StatusMessage("Draw a digit first; then confirm or correct the prediction.", .info)
        return []
    }
    guard state.isPredictionCurrent else {
        state.message = StatusMessage("The drawing changed since the last prediction: predict again first.", .info)
        return []
    }
    let actual: String
    if let digit {
        actual = shown.display.number(replacingDigitAt: state.selectedDigit, with: digit)
    } else {
        actual = shown.display.number
    }
    var effects: [AppEffect] = []
    switch shown.log {
    case .logged(let id):
        shown.feedback = .sending(actual: actual)
        effects = [.logFeedback(id: id, actual: actual, serial: shown.serial)]
    case .pending:
        shown.feedback = .queued(actual: actual)
    case .failed(let problem):
        shown.feedback = .failed(actual: actual, message: problem)
        state.message = StatusMessage("logging unavailable: \(problem)", .error)
        state.prediction = shown
        return []
    }
    state.message = StatusMessage("Recording \(actual)…", .info)
    state.prediction = shown
    return effects
}

// MARK: - Keys

private func reduceKey(_ state: inout AppState, _ press: KeyPress) -> [AppEffect] {
    switch press.key {
    case .enter: return predict(&state)
    case .backspace, .delete: return clear(&state)
    case .escape: return reduce(&state, .quitRequested)
    case .f11: return [.toggleFullscreen]
    case .f12: return [screenshot(press.stamp)]
    case .digit(let d): return giveFeedback(&state, digit: d)
    case .letter(let c):
        if press.ctrl {
            switch c {
            case "z": return undo(&state, time: press.time)
            case "q": return reduce(&state, .quitRequested)
            default: return []
            }
        }
        switch c {
        case "c": return clear(&state)
        case "d": return [.openDashboard]
        case "t":
            state.theme = state.theme.toggled
            return []
        case "s": return [screenshot(press.stamp)]
        case "q": return reduce(&state, .quitRequested)
        default: return []
        }
    }
}

private func screenshot(_ stamp: LocalTimestamp) -> AppEffect {
    .saveScreenshot(path: "numeral-\(stamp.compact).png")
}

// MARK: - Time and replies

private func reduceTick(_ state: inout AppState, time: Double) -> [AppEffect] {
    guard let due = state.recognitionDueAt, time >= due else { return [] }
    state.recognitionDueAt = nil
    guard !state.strokes.isEmpty, state.currentStroke == nil else { return [] }
    return startRecognition(&state)
}

private func reduceRecognition(_ state: inout AppState, revision: Int, outcome: RecognitionOutcome) -> [AppEffect] {
    if state.inFlightRevision == revision { state.inFlightRevision = nil }
    // A result for an older drawing would show a digit the user has already changed.
    guard revision == state.revision, state.picture == nil else { return [] }
    switch outcome {
    case .failure(let message):
        state.message = StatusMessage("Could not recognize the drawing: \(message)", .error)
        return []
    case .success(let display):
        return show(&state, display, inputType: .canvas, drawing: state.drawing)
    }
}

private func reduceFileRecognition(_ state: inout AppState, path: String, revision: Int,
                                   outcome: FileRecognitionOutcome) -> [AppEffect] {
    if state.fileInFlight == path { state.fileInFlight = nil }
    switch outcome {
    case .failure(let message):
        state.message = StatusMessage("Could not read \(fileName(path)): \(message)", .error)
        return []
    case .success(let display, let picture):
        guard revision == state.revision, state.currentStroke == nil else {
            state.message = StatusMessage("Ignored \(fileName(path)): the canvas changed while it was read.", .info)
            return []
        }
        state.strokes = []
        state.picture = picture
        state.pictureName = fileName(path)
        state.strokeEpoch += 1
        state.revision += 1
        state.recognitionDueAt = nil
        state.drawingSize = state.layout.canvas.size
        state.message = nil
        return show(&state, display, inputType: .upload, drawing: nil)
    }
}

private func show(_ state: inout AppState, _ display: RecognitionDisplay, inputType: InputType,
                  drawing: Drawing?) -> [AppEffect] {
    let serial = state.nextSerial
    state.nextSerial += 1
    state.prediction = ShownPrediction(display: display, revision: state.revision, serial: serial,
                                       inputType: inputType, log: .pending, feedback: .none)
    state.selectedDigit = 0
    state.nothingDrawn = false
    // Earlier hints ("nothing drawn", "recording…") are about a prediction that is gone.
    state.message = nil
    return [.logPrediction(display, inputType: inputType, drawing: drawing, serial: serial)]
}

private func reducePredictionLogged(_ state: inout AppState, serial: Int, outcome: LogOutcome) -> [AppEffect] {
    switch outcome {
    case .failed(let problem):
        state.loggingProblem = problem
        state.message = StatusMessage("logging unavailable: \(problem)", .error)
    case .logged:
        state.loggingProblem = nil
    }
    guard var shown = state.prediction, shown.serial == serial else { return [] }
    var effects: [AppEffect] = []
    switch outcome {
    case .failed(let problem):
        shown.log = .failed(problem)
        if case .queued(let actual) = shown.feedback {
            shown.feedback = .failed(actual: actual, message: problem)
        }
    case .logged(let id):
        shown.log = .logged(id: id)
        if case .queued(let actual) = shown.feedback {
            shown.feedback = .sending(actual: actual)
            effects = [.logFeedback(id: id, actual: actual, serial: serial)]
        }
    }
    state.prediction = shown
    return effects
}

private func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
