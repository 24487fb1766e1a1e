/// Which window events need the admin PIN in kiosk mode: everything that would leave the
/// visitor-facing canvas (quit, close, dashboard, theme, fullscreen, screenshots).
public enum KioskGate {
    public static func needsAdmin(_ event: AppEvent) -> Bool {
        switch event {
        case .quitRequested:
            // Window close button, Alt+F4 through the window manager, SDL_QUIT.
            return true
        case .key(let press):
            return AppCommand(press)?.isPrivileged ?? false
        case .command(let command, _):
            return command.isPrivileged
        default:
            return false
        }
    }
}

/// The kiosk layer in front of the app's reducer: it keeps privileged events from visitors,
/// runs the admin corner, PIN pad and admin menu, locks the pad after wrong PINs, and clears
/// the canvas after an idle period. Pure: times come in with the inputs.
public func reduceKiosk(_ state: inout KioskState, _ input: KioskInput) -> KioskVerdict {
    switch input {
    case .app(let event):
        return kioskEvent(&state, event)
    case .tick(let time):
        state.time = max(state.time, time)
        return KioskVerdict(effects: kioskTick(&state, time: time))
    case .pinChecked(let serial, let matches, let time):
        state.time = max(state.time, time)
        pinChecked(&state, serial: serial, matches: matches, time: time)
        return KioskVerdict()
    case .pinCheckFailed(let serial, let message):
        guard state.verifying == serial else { return KioskVerdict() }
        state.verifying = nil
        state.pinMessage = message
        return KioskVerdict()
    }
}

private func kioskEvent(_ state: inout KioskState, _ event: AppEvent) -> KioskVerdict {
    switch event {
    case .pointer(let p):
        return kioskPointer(&state, p)
    case .key(let press):
        noteActivity(&state, time: press.time)
        if state.overlay != .none { return KioskVerdict(effects: overlayKey(&state, press)) }
        return KioskGate.needsAdmin(event) ? KioskVerdict() : KioskVerdict(forward: event)
    case .resized(let width, let height):
        state.layout = KioskLayout(width: width, height: height, cornerSize: state.settings.cornerSize)
        return KioskVerdict(forward: event)
    default:
        // Background replies and the app's own timers pass; privileged requests stop here.
        return KioskGate.needsAdmin(event) ? KioskVerdict() : KioskVerdict(forward: event)
    }
}

private func noteActivity(_ state: inout KioskState, time: Double) {
    state.lastActivity = max(state.lastActivity, time)
    state.time = max(state.time, time)
}

// MARK: - Pointer

private func kioskPointer(_ state: inout KioskState, _ p: PointerEvent) -> KioskVerdict {
    noteActivity(&state, time: p.time)
    var effects: [KioskEffect] = []
    // A finger hides the cursor (it would sit where the last tap was); real mouse motion brings it back.
    if case .touch = p.source, state.cursorVisible {
        state.cursorVisible = false
        effects.append(.setCursorVisible(false))
    } else if p.source == .mouse, !state.cursorVisible, p.phase == .move || p.phase == .down {
        state.cursorVisible = true
        effects.append(.setCursorVisible(true))
    }

    if let swallowed = state.swallowedPointer, swallowed == p.source {
        if p.phase == .up || p.phase == .cancel { state.swallowedPointer = nil }
        return KioskVerdict(effects: effects)
    }
    if state.overlay != .none {
        return KioskVerdict(effects: effects + overlayPointer(&state, p))
    }

    if let hold = state.cornerHold, hold.source == p.source {
        switch p.phase {
        case .down:
            break
        case .move:
            // Sliding out of the corner is not a long press; the rest of the gesture is ignored.
            if !state.layout.corner.insetBy(dx: -24, dy: -24).contains(p.position) {
                state.cornerHold = nil
                state.swallowedPointer = p.source
            }
        case .up:
            state.cornerHold = nil
            if p.time - hold.start >= state.settings.longPress { openPINPad(&state) }
        case .cancel:
            state.cornerHold = nil
        }
        return KioskVerdict(effects: effects)
    }
    if p.phase == .down, state.cornerHold == nil, state.layout.corner.contains(p.position) {
        state.cornerHold = (p.source, p.time)
        return KioskVerdict(effects: effects)
    }
    return KioskVerdict(forward: .pointer(p), effects: effects)
}

/// Presses on the PIN pad or the admin menu fire on release over the same control, like buttons.
private func overlayPointer(_ state: inout KioskState, _ p: PointerEvent) -> [KioskEffect] {
    func target(at point: UIPoint) -> KioskPress? {
        switch state.overlay {
        case .pinPad: return state.layout.pinKey(at: point).map(KioskPress.key)
        case .adminMenu: return state.layout.menuAction(at: point).map(KioskPress.action)
        case .none: return nil
        }
    }
    switch p.phase {
    case .down:
        guard state.activePointer == nil, let hit = target(at: p.position) else { return [] }
        state.activePointer = p.source
        state.pressed = hit
        return []
    case .move:
        return []
    case .up, .cancel:
        guard state.activePointer == p.source else { return [] }
        state.activePointer = nil
        let pressed = state.pressed
        state.pressed = nil
        guard p.phase == .up, let pressed, target(at: p.position) == pressed else { return [] }
        switch pressed {
        case .key(let key): return pressKey(&state, key)
        case .action(let action): return perform(&state, action)
        }
    }
}

// MARK: - PIN pad

private func openPINPad(_ state: inout KioskState) {
    state.overlay = .pinPad
    state.pinEntry = ""
    state.pressed = nil
    state.activePointer = nil
    state.pinMessage = state.lockoutRemaining(at: state.time).map(lockoutMessage)
}

private func closeOverlay(_ state: inout KioskState) {
    state.overlay = .none
    state.pinEntry = ""
    state.pressed = nil
    state.activePointer = nil
    if state.verifying == nil { state.pinMessage = nil }
}

private func overlayKey(_ state: inout KioskState, _ press: KeyPress) -> [KioskEffect] {
    switch state.overlay {
    case .none:
        return []
    case .adminMenu:
        if press.key == .escape { closeOverlay(&state) }
        return []
    case .pinPad:
        switch press.key {
        case .digit(let d): return pressKey(&state, .digit(d))
        case .backspace, .delete: return pressKey(&state, .backspace)
        case .enter: return pressKey(&state, .ok)
        case .escape: return pressKey(&state, .cancel)
        default: return []
        }
    }
}

private func pressKey(_ state: inout KioskState, _ key: PINPadKey) -> [KioskEffect] {
    switch key {
    case .cancel:
        closeOverlay(&state)
        return []
    case .backspace:
        if !state.pinEntry.isEmpty { state.pinEntry.removeLast() }
        return []
    case .digit(let d):
        guard state.verifying == nil, state.lockoutRemaining(at: state.time) == nil,
              state.pinEntry.count < KioskPIN.allowedLengths.upperBound, (0...9).contains(d) else { return [] }
        state.pinEntry.append(Character(String(d)))
        state.pinMessage = nil
        return []
    case .ok:
        guard state.verifying == nil else { return [] }
        if let remaining = state.lockoutRemaining(at: state.time) {
            state.pinMessage = lockoutMessage(remaining)
            return []
        }
        guard state.pinEntry.count >= KioskPIN.allowedLengths.lowerBound else {
            state.pinMessage = "Enter \(KioskPIN.allowedLengths.lowerBound)–\(KioskPIN.allowedLengths.upperBound) digits"
            return []
        }
        let serial = state.nextSerial
        state.nextSerial += 1
        state.verifying = serial
        let pin = state.pinEntry
        // The PIN leaves the state at once; only its check is pending.
        state.pinEntry = ""
        state.pinMessage = "Checking…"
        return [.verifyPIN(pin, serial: serial)]
    }
}

private func pinChecked(_ state: inout KioskState, serial: Int, matches: Bool, time: Double) {
    guard state.verifying == serial else { return }
    state.verifying = nil
    if matches {
        state.failedAttempts = 0
        state.lockouts = 0
        state.lockedUntil = nil
        state.pinMessage = nil
        // A pad closed meanwhile (idle timeout) stays closed: the admin menu appears only on request.
        if state.overlay == .pinPad { state.overlay = .adminMenu }
        return
    }
    state.failedAttempts += 1
    let allowed = state.settings.attemptsBeforeLockout
    if state.failedAttempts >= allowed {
        let doubling = Double(1 << min(state.lockouts, 20))
        let duration = min(state.settings.firstLockout * doubling, state.settings.maximumLockout)
        state.lockedUntil = time + duration
        state.lockouts += 1
        state.failedAttempts = 0
        state.pinMessage = "Wrong PIN. " + lockoutMessage(duration)
    } else {
        let left = allowed - state.failedAttempts
        state.pinMessage = "Wrong PIN. \(left) more wrong \(left == 1 ? "try locks" : "tries lock") the pad."
    }
}

private func lockoutMessage(_ seconds: Double) -> String {
    "Locked: try again in \(Int(seconds.rounded(.up))) s"
}

// MARK: - Admin menu

private func perform(_ state: inout KioskState, _ action: KioskAdminAction) -> [KioskEffect] {
    switch action {
    case .quit:
        closeOverlay(&state)
        return [.quit]
    case .dashboard:
        closeOverlay(&state)
        return [.openDashboard(adminUntil: state.time + state.settings.adminGrace)]
    case .toggleTheme:
        return [.toggleTheme]
    case .closeMenu:
        closeOverlay(&state)
        return []
    }
}

// MARK: - Time

private func kioskTick(_ state: inout KioskState, time: Double) -> [KioskEffect] {
    if let hold = state.cornerHold, time - hold.start >= state.settings.longPress {
        // Opens while the finger is still down, so people see it worked; its release is swallowed.
        state.cornerHold = nil
        state.swallowedPointer = hold.source
        openPINPad(&state)
    }
    guard time - state.lastActivity >= state.settings.idleTimeout else { return [] }
    // Once per idle period: the next reset comes only after another full timeout.
    state.lastActivity = time
    closeOverlay(&state)
    state.cornerHold = nil
    return [.startOver]
}
