import CSDL2
import Foundation
import NumeralSession
import NumeralUI
import NumeralVision

/// The SDL2 window: turns SDL events into app events, runs the session, draws the state.
/// Redraws only when the state changed, at most 60 times a second; sleeps in
/// SDL_WaitEventTimeout otherwise, woken by input, by background results, or by the
/// live-prediction deadline.
public final class AppWindow: WindowHost {
    private let window: Window
    private let renderer: Renderer
    private let scene: SceneRenderer
    private let session: AppSession
    private let translator: SDLEventTranslator
    private let configuration: AppConfiguration
    private let clock = MonotonicClock()
    private var replay: ReplayDriver?
    private var soak: SoakDriver?
    private let trace: TimingTrace?
    private var printedLayoutSize: UISize?
    private var frameStats = FrameStats()
    /// The second view of the window (D): shown instead of the drawing view while visible.
    private let dashboard: DashboardController
    private let dashboardRenderer: DashboardRenderer
    /// Set by changes outside the session's state (switching views) that need a new frame.
    private var needsRedraw = false
    /// In kiosk mode, the gate every input passes before the views see it.
    private let kiosk: KioskController?
    private let kioskRenderer: KioskRenderer
    /// The camera view (V, `--camera`): shown instead of the other views while open.
    private let camera: CameraController
    private let cameraRenderer: CameraRenderer
    /// `--camera-source … --screenshot`: saves the camera view once it reads something, then exits.
    private var cameraDriver: CameraScreenshotDriver?

    private static let frameInterval = 1.0 / 60
    private static let interimFrameHold = 0.05

    /// Opens the window and runs until the user quits (or a replay with screenshot ends).
    public static func run(configuration: AppConfiguration, services: AppServices) throws {
        let app = try AppWindow(configuration: configuration, services: services)
        defer {
            if !app.session.flushBeforeExit() {
                FileHandle.standardError.write(Data("numeral: the prediction log did not finish writing within 3 s\n".utf8))
            }
            app.close()
        }
        try app.loop()
    }

    private init(configuration: AppConfiguration, services: AppServices) throws {
        self.configuration = configuration
        trace = try configuration.timingTracePath.map(TimingTrace.init(path:))
        // The first click on an unfocused window should draw, like in any native tool.
        SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1")
        SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0")
        if !configuration.useGPU {
            // Set before the window exists so SDL never loads a GL driver. An SDL_RENDER_DRIVER
            // environment variable still wins over these hints.
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0")
            SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software")
        }
        if configuration.kiosk != nil {
            // SDL would turn SIGINT/SIGTERM into a quit request, which the kiosk ignores; the
            // system must still be able to stop the process.
            SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1")
        }
        // Closed in reverse (textures, renderer, window, SDL video) as the last reference goes.
        window = try Window(title: "Numeral", size: configuration.windowSize, kiosk: configuration.kiosk != nil)
        renderer = try Renderer(window: window, accelerated: configuration.useGPU)
        scene = try SceneRenderer(renderer: renderer)
        SDL_EventState(SDL_DROPFILE.rawValue, SDL_ENABLE)

        let wakeType = SDL_RegisterEvents(1)
        translator = SDLEventTranslator(userEventType: wakeType, windowID: window.id)
        let (w, h) = (window.size.width, window.size.height)
        var initial = AppState(width: Double(w), height: Double(h), theme: configuration.theme)
        initial.explainVisible = configuration.explain
        initial.classes = configuration.classes
        if configuration.kiosk != nil {
            initial.layout = Layout(width: Double(w), height: Double(h), variant: .kiosk)
            initial.drawingSize = initial.layout.canvas.size
        }
        let wake: @Sendable () -> Void = {
            var e = SDL_Event()
            e.type = wakeType
            SDL_PushEvent(&e)
        }
        let inbox = Inbox<AppEvent>(wake: wake)
        session = AppSession(state: initial, services: services, inbox: inbox)
        var dashboardState = DashboardState(width: Double(w), height: Double(h))
        dashboardState.isKiosk = configuration.kiosk != nil
        dashboard = DashboardController(state: dashboardState,
                                        loader: DashboardLoader(source: configuration.dashboard),
                                        inbox: Inbox(wake: wake), improver: services.improver)
        dashboardRenderer = DashboardRenderer(painter: scene.painter, timeZone: configuration.dashboard.timeZone)
        kioskRenderer = KioskRenderer(painter: scene.painter)
        camera = CameraController(state: CameraState(width: Double(w), height: Double(h), source: configuration.camera?.source),
                                  services: services.camera, inbox: Inbox<CameraEvent>(wake: wake))
        cameraRenderer = CameraRenderer(scene: scene)
        kiosk = configuration.kiosk.map { setup in
            KioskController(state: KioskState(width: Double(w), height: Double(h), settings: setup.settings, now: MonotonicClock().now()),
                            pinPath: setup.pinPath, wake: wake)
        }
        session.host = self
        dashboard.host = self
        kiosk?.host = self
        camera.host = self
        if configuration.startWithDashboard { dashboard.show() }
        if let startup = configuration.camera {
            openCamera()
            if configuration.screenshotPath != nil {
                cameraDriver = CameraScreenshotDriver(capture: startup.capture, timeout: startup.timeout)
            }
        }
        // The status bar says when a newly active model takes over; the reply wakes the loop.
        services.modelWatcher?.start { [inbox] event in inbox.post(event) }

        if let drawing = configuration.replay {
            if let rounds = configuration.soakRounds {
                soak = SoakDriver(drawing: drawing, rounds: rounds) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
            } else {
                replay = ReplayDriver(drawing: drawing, timeout: configuration.replayTimeout)
            }
        }
    }

    private func close() {
        camera.shutDown()
        session.services.modelWatcher?.stop()
        trace?.flush()
    }

    private var pixelScale: Double {
        let points = window.size.width, pixels = renderer.outputSize.width
        return points > 0 && pixels > 0 ? Double(pixels) / points : 1
    }

    private func loop() throws {
        try render()
        window.show()
        if configuration.printTimings, let started = ProcessClock.secondsSinceStart() {
            printTiming(String(format: "first frame %.0f ms after process start", started * 1000))
            trace?.firstFrame(millisecondsSinceStart: started * 1000)
        }
        printLayoutIfNeeded()
        // A prediction is new when its serial or its drawing's revision changes: another stroke on
        // the same drawing updates the drawing's record (same serial) with a new prediction.
        var shownPrediction: (serial: Int, revision: Int) = (0, 0)
        var unreportedPrediction: ShownPrediction?
        var dirty = true
        var pacer = FramePacer(interval: AppWindow.frameInterval)
        // A frame that only says "predicting…" is held back briefly: the result usually
        // arrives within milliseconds and drawing the interim frame would delay it.
        var holdUntil = 0.0
        var event = SDL_Event()

        while !session.state.isQuitting {
            let now = clock.now()
            var wait = 1.0
            if dirty { wait = max(0, max(pacer.nextFrame, holdUntil) - now) }
            if let due = session.state.recognitionDueAt { wait = min(wait, max(0, due - now)) }
            if let replay { wait = min(wait, replay.secondsUntilNextEvent(now: now)) }
            if let kiosk { wait = min(wait, max(0, kiosk.nextDeadline(now: now) - now)) }

            if SDL_WaitEventTimeout(&event, Int32((wait * 1000).rounded(.up))) == 1 {
                var changed = handle(&event)
                while SDL_PollEvent(&event) == 1 { changed = handle(&event) || changed }
                if changed {
                    dirty = true
                    holdUntil = 0 // the user is doing something: show it now
                }
            }
            // A stroke just ended and the live prediction is due within the debounce: its frame
            // waits for the prediction, so a frame being drawn cannot delay the recognition.
            if dirty, let due = session.state.recognitionDueAt { holdUntil = max(holdUntil, due) }
            if session.drainInbox() {
                trace?.event("inbox", time: clock.now())
                dirty = true
                // Replies (a prediction, a saved screenshot) are shown at once, not paced.
                pacer.allowFrameNow()
                holdUntil = 0
            }
            var otherViews = dashboard.drainInbox()
            otherViews = camera.drainInbox() || otherViews
            if let kiosk {
                otherViews = kiosk.drainReplies() || otherViews
                otherViews = kiosk.tick(now: clock.now()) || otherViews
            }
            if otherViews || needsRedraw {
                dirty = true
                needsRedraw = false
            }
            if configuration.printTimings, let shown = session.state.prediction,
               shown.serial != shownPrediction.serial || shown.revision != shownPrediction.revision {
                shownPrediction = (shown.serial, shown.revision)
                unreportedPrediction = shown
            }
            let t = clock.now()
            if let due = session.state.recognitionDueAt, t >= due, session.send(.tick(time: t)) {
                trace?.event("tick", time: t)
                // Held even when other changes wait to be drawn (the stroke's last segment): the
                // result is a millisecond away, and drawing first would delay it by a whole frame.
                holdUntil = t + AppWindow.interimFrameHold
                dirty = true
            }
            if let driver = replay, try driver.step(session: session, now: t) == .finished {
                replay = nil
                try render()
                if try finishReplay() { return }
            }
            if cameraDriver != nil, try stepCameraDriver() { return }
            printLayoutIfNeeded()
            let frameTime = clock.now()
            if dirty, pacer.isDue(at: frameTime), frameTime >= holdUntil {
                pacer.frameStarted(at: frameTime)
                try render()
                dirty = false
                if let shown = unreportedPrediction {
                    unreportedPrediction = nil
                    reportPredictionTiming(shown)
                }
            }
            if let driver = soak, try driver.step(session: session, now: clock.now(), frameIsCurrent: !dirty) == .finished {
                return
            }
        }
    }

    /// Reports the replayed prediction on stdout (one line, for scripts), saves the screenshot
    /// if one was asked for and then returns true to end the app. A replay that produced no
    /// prediction is an error, after the screenshot is saved so it shows why.
    private func finishReplay() throws -> Bool {
        let state = session.state
        let outcome: String?
        if state.isPredictionCurrent, let shown = state.prediction {
            let confidence = shown.display.digits.map { String(format: "%.1f%%", Double($0.confidence) * 100) }
            print("replay: predicted \(shown.display.number) (\(confidence.joined(separator: ", ")))")
            fflush(stdout)
            outcome = nil
        } else {
            outcome = state.message?.text ?? (state.nothingDrawn ? "nothing drawn" : "no prediction")
        }
        guard let path = configuration.screenshotPath else {
            if let outcome { FileHandle.standardError.write(Data("replay: \(outcome)\n".utf8)) }
            return false
        }
        let saved = Locked<AppEvent?>(nil)
        session.saveScreenshot(path: path) { saved.current = $0 }
        session.waitForBackgroundWork()
        if case .screenshotSaved(_, let error?)? = saved.current {
            throw AppError.replay("could not save the screenshot to \(path): \(error)")
        }
        if let outcome { throw AppError.replay("no prediction (\(outcome)); screenshot saved to \(path)") }
        return true
    }

    private func handle(_ event: inout SDL_Event) -> Bool {
        if event.type == translator.userEventType { return false } // only a wake-up; the inbox is drained next
        let events = translator.translate(&event, windowSize: window.size,
                                          time: clock.now(),
                                          stamp: { LocalTimestamp(date: Date(), timeZone: .current) })
        var changed = event.type == SDL_WINDOWEVENT.rawValue // exposed, restored, moved between screens
        for e in events {
            // While a replay draws, the real pointer (perhaps resting over the window) must not
            // add points to the replayed strokes.
            if replay != nil, case .pointer = e { continue }
            if let trace, case .pointer(let p) = e { trace.pointer("\(p.phase)", time: p.time) }
            changed = route(e) || changed
            if case .pointer(let p) = e, p.source == .mouse, !dashboard.isVisible, !camera.isVisible, (kiosk?.state.overlay ?? KioskOverlay.none) == KioskOverlay.none {
                window.showCursor(AppWindow.cursor(for: session.state, mouseAt: p.position))
            }
        }
        return changed
    }

    /// Passes an input event through the kiosk gate (in kiosk mode), then to the visible view.
    private func route(_ event: AppEvent) -> Bool {
        guard let kiosk else { return deliver(event) }
        let (forward, changed) = kiosk.filter(event)
        guard let forward else { return changed }
        return deliver(forward) || changed
    }

    /// Both views follow the window size, and quitting works from either.
    private func deliver(_ event: AppEvent) -> Bool {
        switch event {
        case .resized(let width, let height):
            let dashboardChanged = dashboard.send(.resized(width: width, height: height))
            let cameraChanged = camera.send(.resized(width: width, height: height))
            return session.send(event) || dashboardChanged || cameraChanged
        case .quitRequested:
            return session.send(event)
        default:
            if camera.isVisible, let input = CameraEvent(event) { return camera.send(input) }
            guard dashboard.isVisible else { return session.send(event) }
            guard let input = DashboardEvent(event) else {
                // Replies for the drawing view (recognition, dropped files) still reach it.
                return session.send(event)
            }
            return dashboard.send(input)
        }
    }

    private func drawFrame() throws {
        if camera.isVisible {
            cameraRenderer.draw(camera.state, theme: session.state.theme, pixelScale: pixelScale)
        } else if dashboard.isVisible {
            dashboardRenderer.draw(dashboard.state, theme: session.state.theme, pixelScale: pixelScale)
        } else {
            try scene.draw(session.state, pixelScale: pixelScale)
        }
        if let kiosk {
            kioskRenderer.draw(kiosk.state, app: session.state, drawingViewVisible: !dashboard.isVisible)
        }
    }

    /// D and the Dashboard button (through the session) and the kiosk's admin menu.
    public func openDashboard() {
        dashboard.show()
        window.showDefaultCursor()
        needsRedraw = true
    }

    private func render() throws {
        let start = clock.now()
        try drawFrame()
        renderer.present()
        guard configuration.printTimings else { return }
        let end = clock.now()
        frameStats.record(start: start, end: end, report: printTiming)
        trace?.frame(start: start, end: end)
    }

    private func reportPredictionTiming(_ shown: ShownPrediction) {
        guard shown.inputType == .canvas, let edit = session.state.lastEditTime else { return }
        let now = clock.now()
        let total = (now - edit) * 1000
        trace?.shown(at: now, sinceEditMs: total, modelMs: shown.display.latencyMs)
        let debounce = session.state.settings.debounce * 1000
        printTiming(String(format: "stroke end -> prediction shown %.1f ms (%.0f ms debounce + %.1f ms; model %.2f ms)",
                           total, debounce, total - debounce, shown.display.latencyMs))
    }

    private func printTiming(_ line: String) {
        FileHandle.standardError.write(Data(("timing: " + line + "\n").utf8))
    }

    private func printLayoutIfNeeded() {
        guard configuration.printLayout, printedLayoutSize != session.state.layout.size else { return }
        printedLayoutSize = session.state.layout.size
        print(session.state.layout.jsonString(pretty: false))
        fflush(stdout)
    }

    // MARK: WindowHost

    /// Full screen and back (F11), see `Window.toggleFullscreen`.
    public func toggleFullscreen() {
        window.toggleFullscreen()
        needsRedraw = true
    }

    /// Draws the current state and reads it back before presenting, because a presented
    /// back buffer's contents are undefined.
    public func captureFrame() throws -> (width: Int, height: Int, rgba: [UInt8]) {
        try drawFrame()
        let frame = try renderer.readRGBA()
        renderer.present()
        return frame
    }
}

extension AppWindow: DashboardHost {
    public func dashboardDidClose() { needsRedraw = true }
    public func dashboardWantsQuit() { session.send(.quitRequested) }
    public func renderDashboard(_ state: DashboardState) throws -> (width: Int, height: Int, rgba: [UInt8]) {
        try DashboardSnapshot.render(state, theme: session.state.theme, pixelScale: pixelScale,
                                     timeZone: configuration.dashboard.timeZone)
    }
}

extension AppWindow: KioskHost {
    /// Straight to the session: the kiosk's own quit must not be stopped by the kiosk's gate.
    public func kioskQuit() { session.send(.quitRequested) }
    public func kioskOpenDashboard(adminUntil: Double) {
        _ = dashboard.send(.adminAuthorized(until: adminUntil))
        openDashboard()
    }
    public func kioskToggleTheme() {
        session.send(.command(.theme, time: clock.now()))
        needsRedraw = true
    }
    public func kioskStartOver() {
        dashboard.hide()
        session.send(.startOver)
        needsRedraw = true
    }
    public func kioskSetCursorVisible(_ visible: Bool) {
        SDL_ShowCursor(visible ? SDL_ENABLE : SDL_DISABLE)
    }
}

extension AppWindow {
    /// The mouse cursor says what a click will do: a hand over buttons, a crosshair over the canvas.
    static func cursor(for state: AppState, mouseAt p: UIPoint) -> SDL_SystemCursor {
        if state.currentStroke != nil || (state.activePointer == nil && state.layout.canvas.contains(p)) {
            return SDL_SYSTEM_CURSOR_CROSSHAIR
        }
        return state.hoveredButton != nil || state.pressedButton != nil ? SDL_SYSTEM_CURSOR_HAND : SDL_SYSTEM_CURSOR_ARROW
    }
}

// MARK: - The camera view

extension AppWindow: CameraHost {
    /// Opens the camera view (V, the Camera button, `--camera`) on the configured source, or
    /// on the camera found (the picker when there are several).
    public func openCamera() {
        dashboard.hide()
        window.showDefaultCursor()
        camera.send(.open(nil))
        needsRedraw = true
    }

    public func cameraDidClose() { needsRedraw = true }
    public func cameraWantsQuit() { session.send(.quitRequested) }
    public func cameraToggleFullscreen() { toggleFullscreen() }

    public func cameraSaveScreenshot(path: String) {
        let inbox = camera.inbox
        session.saveScreenshot(path: path) { event in
            if case .screenshotSaved(let path, let error) = event { inbox.post(.screenshotSaved(path: path, error: error)) }
        }
    }

    /// `--camera-source … --screenshot FILE`: presses Capture when asked, and once the view
    /// shows what was read (or why nothing can be), saves the window, reports on stdout and
    /// returns true to end the app. A camera that stopped first is an error, after the
    /// screenshot that shows its message.
    private func stepCameraDriver() throws -> Bool {
        guard var driver = cameraDriver, let path = configuration.screenshotPath else { return false }
        let step = driver.step(camera.state, now: clock.now())
        cameraDriver = driver
        switch step {
        case .wait:
            return false
        case .capture:
            camera.send(.key(KeyPress(.space, time: clock.now(), stamp: LocalTimestamp(date: Date(), timeZone: .current))))
            needsRedraw = true
            return false
        case .finish(let problem):
            cameraDriver = nil
            try render()
            let saved = Locked<AppEvent?>(nil)
            session.saveScreenshot(path: path) { saved.current = $0 }
            session.waitForBackgroundWork()
            if case .screenshotSaved(_, let error?)? = saved.current {
                throw AppError.replay("could not save the screenshot to \(path): \(error)")
            }
            if let problem { throw AppError.camera("\(problem) (screenshot saved to \(path))") }
            let state = camera.state
            if let capture = state.capture {
                var logged = ""
                if case .logged(let id)? = capture.log { logged = ", logged #\(id)" }
                print("camera: captured \(capture.reading.text)\(logged)")
            } else {
                print("camera: read \(state.steady.text ?? "")")
            }
            fflush(stdout)
            return true
        }
    }
}

extension CameraEvent {
    /// The window's input as the camera view takes it; nil for what is not the camera's.
    init?(_ event: AppEvent) {
        switch event {
        case .pointer(let p): self = .pointer(p)
        case .pointerLeft: self = .pointerLeft
        case .key(let press): self = .key(press)
        default: return nil
        }
    }
}
