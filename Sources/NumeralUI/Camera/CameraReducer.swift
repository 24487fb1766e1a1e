/// The only way the camera view's state changes. Pure: no I/O, no clock; the camera, the
/// reader and the log answer through events.
public func reduceCamera(_ state: inout CameraState, _ event: CameraEvent) -> [CameraEffect] {
    switch event {
    case .open(let source):
        guard !state.isOpen else { return [] }
        state.capture = nil
        state.message = nil
        if let source = source ?? state.configuredSource { return startStream(&state, source) }
        state.phase = .findingDevices
        return [.findDevices]
    case .close:
        guard state.isOpen else { return [] }
        let stream = state.stream
        state.phase = .closed
        state.capture = nil
        state.frame = nil
        state.reading = nil
        state.readFrame = nil
        state.activePointer = nil
        state.pressedButton = nil
        state.hoveredButton = nil
        return [.stop(stream: stream), .closeView]
    case .key(let press):
        return reduceCameraKey(&state, press)
    case .pointer(let p):
        return reduceCameraPointer(&state, p)
    case .pointerLeft:
        if state.activePointer == nil { state.hoveredButton = nil }
        return []
    case .resized(let width, let height):
        state.layout = CameraLayout(width: width, height: height)
        state.hoveredButton = nil
        return []
    case .devicesFound(let devices):
        guard state.phase == .findingDevices else { return [] }
        state.devices = devices
        switch devices.count {
        case 0:
            state.phase = .stopped(nil, message: "No camera found: there is no /dev/video* device. Connect a camera and "
                                   + "press R, or play a recording with numeral app --camera-source FILE.")
            return []
        case 1:
            return startStream(&state, .device(devices[0].path))
        default:
            state.phase = .choosing(devices)
            return []
        }
    case .streamStarted(let stream):
        guard stream == state.stream, case .starting(let source) = state.phase else { return [] }
        state.phase = .live(source)
        return []
    case .frameArrived(let stream, let frame):
        guard stream == state.stream else { return [] }
        if case .starting(let source) = state.phase { state.phase = .live(source) }
        guard state.isLive else { return [] }
        state.framesShown += 1
        // A frozen frame stays on screen; the stream keeps flowing so Resume is instant.
        if state.capture == nil { state.frame = frame }
        return [.frameShown(stream: stream)]
    case .frameRead(let stream, let frame, let reading):
        guard stream == state.stream, state.isLive, state.capture == nil else { return [] }
        state.framesRead += 1
        state.reading = reading
        state.readFrame = frame
        state.readingProblem = nil
        state.steady.observe(reading.text, needed: state.settings.steadyFrames)
        return []
    case .frameFailed(let stream, let problem):
        guard stream == state.stream else { return [] }
        state.readingProblem = problem
        return []
    case .streamStopped(let stream, let stop):
        guard stream == state.stream, state.isOpen else { return [] }
        let source = state.source
        state.phase = .stopped(source, message: stopMessage(source, stop))
        state.steady = SteadyReading()
        return [.stop(stream: stream)]
    case .predictionLogged(let serial, let outcome):
        state.loggingProblem = outcome.loggingProblem
        if let message = outcome.loggingMessage { state.message = message }
        guard var capture = state.capture, capture.serial == serial else { return [] }
        capture.log = PredictionLogState(outcome)
        state.capture = capture
        return []
    case .feedbackLogged(let serial, let actual, let outcome):
        guard var capture = state.capture, capture.serial == serial else { return [] }
        let result = FeedbackResult(actual: actual, outcome: outcome, next: "Space for the live view")
        capture.feedback = result.feedback
        state.message = result.message
        state.capture = capture
        return []
    case .screenshotSaved(let path, let error):
        state.message = error.map { StatusMessage("Could not save screenshot: \($0)", .error) }
            ?? StatusMessage("Saved screenshot \(path)", .success)
        return []
    }
}

private func stopMessage(_ source: CameraSource?, _ stop: CameraStop) -> String {
    switch (stop, source) {
    case (.failed(let reason), _):
        return reason + " Press R to try again."
    case (.ended, .recording(let location)?):
        return "The recording \(CameraSource.recording(location).description) ended. Press R to play it again."
    case (.ended, _):
        return "\(source?.description ?? "The camera") stopped sending frames: was it unplugged? "
            + "Reconnect it and press R to try again."
    }
}

private func startStream(_ state: inout CameraState, _ source: CameraSource) -> [CameraEffect] {
    state.stream += 1
    state.phase = .starting(source)
    state.frame = nil
    state.reading = nil
    state.readFrame = nil
    state.steady = SteadyReading()
    state.framesShown = 0
    state.framesRead = 0
    state.capture = nil
    state.message = nil
    return [.start(source, stream: state.stream)]
}

/// Opens the source again (after it stopped or failed), or looks for cameras again.
private func retry(_ state: inout CameraState) -> [CameraEffect] {
    let previous = state.stream
    var effects: [CameraEffect] = state.isLive ? [.stop(stream: previous)] : []
    if let source = state.source ?? state.configuredSource {
        effects += startStream(&state, source)
    } else {
        state.capture = nil
        state.message = nil
        state.phase = .findingDevices
        effects.append(.findDevices)
    }
    return effects
}

private func showDevices(_ state: inout CameraState) -> [CameraEffect] {
    let previous = state.stream
    let wasRunning: Bool
    switch state.phase {
    case .starting, .live: wasRunning = true
    default: wasRunning = false
    }
    state.stream += 1 // replies of the stream being left are stale now
    state.capture = nil
    state.frame = nil
    state.reading = nil
    state.readFrame = nil
    state.message = nil
    state.phase = .findingDevices
    return (wasRunning ? [.stop(stream: previous)] : []) + [.findDevices]
}

private func chooseDevice(_ state: inout CameraState, _ index: Int) -> [CameraEffect] {
    guard case .choosing(let devices) = state.phase, devices.indices.contains(index) else { return [] }
    return startStream(&state, .device(devices[index].path))
}

/// Space / Capture: freezes the newest frame that was read, with its boxes and readings, logs
/// it and waits for feedback; pressed again, goes back to the live view.
private func toggleCapture(_ state: inout CameraState) -> [CameraEffect] {
    if state.capture != nil {
        state.capture = nil
        state.message = nil
        return state.isLive ? [.setReading(stream: state.stream, enabled: true)] : []
    }
    guard let frame = state.readFrame, let reading = state.reading else {
        state.message = StatusMessage(state.isLive ? "Nothing read yet: wait for the first frame."
                                                   : "There is no frame to capture.", .info)
        return []
    }
    var effects: [CameraEffect] = state.isLive ? [.setReading(stream: state.stream, enabled: false)] : []
    if reading.isEmpty {
        state.capture = CameraCapture(frame: frame, reading: reading, serial: nil)
        state.message = StatusMessage("No digits in this frame: hold digits on paper in view, then Space to go back to the live view.", .info)
        return effects
    }
    let serial = state.nextSerial
    state.nextSerial += 1
    state.capture = CameraCapture(frame: frame, reading: reading, serial: serial)
    state.message = StatusMessage("Captured \(reading.text): ✓ (Enter) if right, or the true digit (0–9).", .info)
    effects.append(.logPrediction(reading.display, serial: serial))
    return effects
}

/// `digit == nil` confirms the captured reading; a digit corrects its selected digit.
private func giveCameraFeedback(_ state: inout CameraState, digit: Int?) -> [CameraEffect] {
    guard var capture = state.capture else {
        state.message = StatusMessage("Capture a frame first (Space), then confirm or correct it.", .info)
        return []
    }
    guard let serial = capture.serial else {
        state.message = StatusMessage("No digits in this frame to confirm or correct.", .info)
        return []
    }
    let display = capture.reading.display
    let actual = digit.map { display.number(replacingDigitAt: capture.selectedDigit, with: $0) } ?? display.number
    if case .failed(let problem)? = capture.log {
        capture.feedback = .failed(actual: actual, message: problem)
        state.message = StatusMessage("logging unavailable: \(problem)", .error)
        state.capture = capture
        return []
    }
    capture.feedback = .sending(actual: actual)
    state.message = StatusMessage("Recording \(actual)…", .info)
    state.capture = capture
    return [.logFeedback(actual: actual, serial: serial)]
}

private func activateCameraButton(_ state: inout CameraState, _ button: CameraButton) -> [CameraEffect] {
    switch button {
    case .back: return reduceCamera(&state, .close)
    case .capture: return toggleCapture(&state)
    case .devices: return showDevices(&state)
    case .retry: return retry(&state)
    case .correct: return giveCameraFeedback(&state, digit: nil)
    case .digit(let d): return giveCameraFeedback(&state, digit: d)
    case .device(let i): return chooseDevice(&state, i)
    }
}

func reduceCameraKey(_ state: inout CameraState, _ press: KeyPress) -> [CameraEffect] {
    switch press.key {
    case .escape: return reduceCamera(&state, .close)
    case .space: return toggleCapture(&state)
    case .enter: return state.capture != nil ? giveCameraFeedback(&state, digit: nil) : toggleCapture(&state)
    case .digit(let d):
        if state.capture == nil, case .choosing = state.phase { return d >= 1 ? chooseDevice(&state, d - 1) : [] }
        return giveCameraFeedback(&state, digit: d)
    case .f11: return [.toggleFullscreen]
    case .f12: return [.saveScreenshot(path: "numeral-camera-\(press.stamp.compact).png")]
    case .backspace, .delete: return []
    case .letter(let c):
        if press.ctrl { return c == "q" ? [.quit] : [] }
        switch c {
        case "v": return reduceCamera(&state, .close)
        case "r": return retry(&state)
        case "l": return showDevices(&state)
        case "s": return [.saveScreenshot(path: "numeral-camera-\(press.stamp.compact).png")]
        case "q": return [.quit]
        default: return []
        }
    }
}

func reduceCameraPointer(_ state: inout CameraState, _ p: PointerEvent) -> [CameraEffect] {
    if let owner = state.activePointer, owner != p.source { return [] }
    switch p.phase {
    case .down:
        guard state.activePointer == nil else { return [] }
        if let capture = state.capture, capture.reading.digits.count > 1,
           let cell = state.layout.base.stripCell(at: p.position, count: capture.reading.digits.count) {
            state.capture?.selectedDigit = cell
            return []
        }
        if let button = state.layout.button(at: p.position, in: state), state.enables(button) {
            state.activePointer = p.source
            state.pressedButton = button
        }
        return []
    case .move:
        if p.source == .mouse { state.hoveredButton = state.layout.button(at: p.position, in: state) }
        return []
    case .up, .cancel:
        guard state.activePointer != nil else { return [] }
        state.activePointer = nil
        let pressed = state.pressedButton
        state.pressedButton = nil
        state.hoveredButton = p.source == .mouse ? state.layout.button(at: p.position, in: state) : nil
        if p.phase == .up, let pressed, state.layout.rect(of: pressed)?.contains(p.position) == true {
            return activateCameraButton(&state, pressed)
        }
        return []
    }
}
