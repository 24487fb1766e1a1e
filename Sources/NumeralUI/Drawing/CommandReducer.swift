import NumeralVision

/// Carries out a command from a key, a button or the kiosk's admin menu (`AppCommand`).
func runCommand(_ state: inout AppState, _ command: AppCommand, time: Double) -> [AppEffect] {
    switch command {
    case .predict: return requestPrediction(&state)
    case .clear: return clearCanvas(&state)
    case .undo: return undoStroke(&state, time: time)
    case .feedback(let digit): return giveFeedback(&state, digit: digit)
    case .explain: return toggleExplain(&state)
    case .dashboard: return [.openDashboard]
    case .theme:
        state.theme = state.theme.toggled
        return []
    case .nextCharacterSet: return switchCharacterSet(&state)
    case .camera: return [.openCamera]
    case .toggleFullscreen: return [.toggleFullscreen]
    case .screenshot(let stamp): return [.saveScreenshot(path: "numeral-\(stamp.compact).png")]
    case .quit: return reduce(&state, .quitRequested)
    }
}

func undoStroke(_ state: inout AppState, time: Double) -> [AppEffect] {
    guard state.currentStroke == nil, !state.strokes.isEmpty else { return [] }
    state.strokes.removeLast()
    state.strokeEpoch += 1
    contentChanged(&state)
    state.lastEditTime = time
    state.recognitionDueAt = state.strokes.isEmpty ? nil : time + state.settings.debounce
    if state.strokes.isEmpty { state.message = nil }
    return []
}

func clearCanvas(_ state: inout AppState) -> [AppEffect] {
    let hadContent = state.hasInk || state.picture != nil || state.prediction != nil
    state.strokes = []
    state.currentStroke = nil
    if state.activePointer != nil, state.pressedButton == nil { state.activePointer = nil }
    state.picture = nil
    state.pictureName = nil
    state.prediction = nil
    state.openRecord = nil
    state.explanation = nil
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

func requestPrediction(_ state: inout AppState) -> [AppEffect] {
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

func startRecognition(_ state: inout AppState) -> [AppEffect] {
    state.recognitionDueAt = nil
    state.inFlightRevision = state.revision
    return [.recognize(state.drawing, revision: state.revision, classes: state.classes)]
}

/// L: digits → letters → letters and digits → digits. A drawing on the canvas is read again with
/// the new set (as a change of the drawing: the shown prediction is out of date until then).
func switchCharacterSet(_ state: inout AppState) -> [AppEffect] {
    let all = CharacterClasses.allCases
    state.classes = all[((all.firstIndex(of: state.classes) ?? 0) + 1) % all.count]
    state.message = StatusMessage("Reading \(state.classes.displayName) (L switches)", .info)
    guard state.hasInk else { return [] }
    state.revision += 1
    return startRecognition(&state)
}

/// `digit == nil` confirms the prediction; a digit corrects the selected digit of it.
func giveFeedback(_ state: inout AppState, digit: Int?) -> [AppEffect] {
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
        // A digit key or button means that digit, whatever the set's output index of it.
        let set = shown.display.classes
        guard let index = set.index(of: Character(String(digit))) else {
            state.message = StatusMessage("Letters are corrected by typing them on the browser page (numeral serve); "
                + "here, ✓ confirms the reading.", .info)
            return []
        }
        actual = shown.display.number(replacingDigitAt: state.selectedDigit, with: index)
    } else {
        actual = shown.display.number
    }
    if case .failed(let problem) = shown.log {
        shown.feedback = .failed(actual: actual, message: problem)
        state.message = StatusMessage("logging unavailable: \(problem)", .error)
        state.prediction = shown
        return []
    }
    // Feedback finishes the drawing's record: strokes added from now on start a new one.
    state.openRecord = nil
    shown.feedback = .sending(actual: actual)
    state.message = StatusMessage("Recording \(actual)…", .info)
    state.prediction = shown
    return [.logFeedback(actual: actual, serial: shown.serial)]
}
