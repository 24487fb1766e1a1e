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
        guard let command = AppCommand(press) else { return [] }
        return runCommand(&state, command, time: press.time)
    case .command(let command, let time):
        return runCommand(&state, command, time: time)
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
        state.message = StatusMessage("Reading \(displayFileName(path))…", .info)
        return [.recognizeFile(path: path, revision: state.revision)]
    case .recognitionFinished(let revision, let outcome):
        return reduceRecognition(&state, revision: revision, outcome: outcome)
    case .fileRecognitionFinished(let path, let revision, let outcome):
        return reduceFileRecognition(&state, path: path, revision: revision, outcome: outcome)
    case .predictionLogged(let serial, let outcome):
        return reducePredictionLogged(&state, serial: serial, outcome: outcome)
    case .explanationFinished(let revision, let outcome):
        return reduceExplanation(&state, revision: revision, outcome: outcome)
    case .feedbackLogged(let serial, let actual, let outcome):
        guard var shown = state.prediction, shown.serial == serial else { return [] }
        let result = FeedbackResult(actual: actual, outcome: outcome)
        shown.feedback = result.feedback
        state.message = result.message
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
    case .modelChanged(let id, let error):
        if let error {
            state.message = StatusMessage("Model \(id) was made active but could not be loaded; still using the previous one: \(error)", .error)
        } else {
            // Predictions from now on (and their log rows) come from the new model.
            state.message = StatusMessage("Now using model \(id)", .success)
        }
        return []
    case .startOver:
        state.hoveredButton = nil
        state.pressedButton = nil
        state.activePointer = nil
        return clearCanvas(&state)
    }
}

// MARK: - Time and replies

func reduceTick(_ state: inout AppState, time: Double) -> [AppEffect] {
    if state.openRecord != nil, state.currentStroke == nil, let edited = state.lastEditTime,
       time - edited >= state.settings.recordIdleClose {
        state.openRecord = nil
    }
    guard let due = state.recognitionDueAt, time >= due else { return [] }
    state.recognitionDueAt = nil
    guard !state.strokes.isEmpty, state.currentStroke == nil else { return [] }
    return startRecognition(&state)
}

func reduceRecognition(_ state: inout AppState, revision: Int, outcome: RecognitionOutcome) -> [AppEffect] {
    if state.inFlightRevision == revision { state.inFlightRevision = nil }
    // A result for an older drawing would show a digit the user has already changed.
    guard revision == state.revision, state.picture == nil else { return [] }
    switch outcome {
    case .failure(let message):
        state.message = StatusMessage("Could not recognize the drawing: \(message)", .error)
        return []
    case .success(let display):
        return showPrediction(&state, display, inputType: .canvas, drawing: state.drawing)
    }
}

func reduceFileRecognition(_ state: inout AppState, path: String, revision: Int,
                                   outcome: FileRecognitionOutcome) -> [AppEffect] {
    if state.fileInFlight == path { state.fileInFlight = nil }
    switch outcome {
    case .failure(let message):
        state.message = StatusMessage("Could not read \(displayFileName(path)): \(message)", .error)
        return []
    case .success(let display, let picture, let unsure):
        guard revision == state.revision, state.currentStroke == nil else {
            state.message = StatusMessage("Ignored \(displayFileName(path)): the canvas changed while it was read.", .info)
            return []
        }
        state.strokes = []
        state.picture = picture
        state.pictureName = displayFileName(path)
        state.strokeEpoch += 1
        state.revision += 1
        state.recognitionDueAt = nil
        state.drawingSize = state.layout.canvas.size
        state.message = nil
        let effects = showPrediction(&state, display, inputType: .upload, drawing: nil)
        if unsure {
            state.message = StatusMessage("Unsure: this picture is hard to read, so the answer is a guess. Press the right digits if it is wrong.", .info)
        }
        return effects
    }
}

/// Shows a prediction and writes it to the log: as an update of the drawing's open record
/// when more strokes were added to (or undone from) the same drawing, else as a new record.
func showPrediction(_ state: inout AppState, _ display: Recognition, inputType: InputType,
                  drawing: Drawing?) -> [AppEffect] {
    let serial: Int
    var log = PredictionLogState.pending
    if inputType == .canvas, let open = state.openRecord, let shown = state.prediction,
       shown.serial == open, shown.inputType == .canvas {
        serial = open
        log = shown.log
    } else {
        serial = state.nextSerial
        state.nextSerial += 1
    }
    state.openRecord = serial
    state.prediction = ShownPrediction(display: display, revision: state.revision, serial: serial,
                                       inputType: inputType, log: log, feedback: .none)
    state.selectedDigit = 0
    state.nothingDrawn = false
    // Earlier hints ("nothing drawn", "recording…") are about a prediction that is gone.
    state.message = nil
    return [.logPrediction(display, inputType: inputType, drawing: drawing, serial: serial)] + requestExplanation(&state)
}

func reducePredictionLogged(_ state: inout AppState, serial: Int, outcome: LogOutcome) -> [AppEffect] {
    state.loggingProblem = outcome.loggingProblem
    if let message = outcome.loggingMessage { state.message = message }
    guard var shown = state.prediction, shown.serial == serial else { return [] }
    shown.log = PredictionLogState(outcome)
    state.prediction = shown
    return []
}

func displayFileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
