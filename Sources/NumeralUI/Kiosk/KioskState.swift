/// Kiosk tunables, from the config file (`idleTimeoutSeconds`) or defaults.
public struct KioskSettings: Equatable, Sendable {
    /// Without input for this long, the canvas clears and the start screen returns.
    public var idleTimeout: Double = 90
    /// How long the admin corner must be held to ask for the PIN.
    public var longPress: Double = 2
    public var cornerSize: Double = 72
    /// Wrong PINs in a row before the pad locks.
    public var attemptsBeforeLockout = 3
    /// The first lock-out; each further one doubles, up to `maximumLockout`.
    public var firstLockout: Double = 30
    public var maximumLockout: Double = 3_600
    /// How long after the admin PIN opens the dashboard its Improve and exports work.
    public var adminGrace: Double = 120

    public init(idleTimeout: Double = 90) { self.idleTimeout = idleTimeout }
}

/// What covers the app in kiosk mode.
public enum KioskOverlay: Equatable, Sendable {
    case none
    case pinPad
    case adminMenu
}

/// Something the kiosk layer's buttons are being pressed on: one gesture at a time.
public enum KioskPress: Hashable, Sendable {
    case key(PINPadKey)
    case action(KioskAdminAction)
}

/// The kiosk gate as a plain value: what is covering the app, the PIN being typed, wrong
/// attempts and lock-outs, the admin-corner long press and the idle timer. Changed only by
/// `reduceKiosk`; all times are monotonic seconds carried in by events.
public struct KioskState: Equatable, Sendable {
    public var settings: KioskSettings
    public var layout: KioskLayout
    public var overlay: KioskOverlay = .none
    /// Digits typed on the pad; cleared as soon as they are sent for checking.
    public var pinEntry = ""
    /// The check in flight (its serial), if any; the pad ignores input meanwhile.
    public var verifying: Int?
    public var nextSerial = 1
    public var pinMessage: String?
    /// Wrong PINs since the last lock-out or success.
    public var failedAttempts = 0
    /// Lock-outs so far without a correct PIN in between: the next lasts twice as long.
    public var lockouts = 0
    public var lockedUntil: Double?
    /// A pointer held in the admin corner since `start`.
    public var cornerHold: (source: PointerSource, start: Double)?
    /// The pointer whose long press opened the pad: its remaining moves and release are swallowed.
    public var swallowedPointer: PointerSource?
    public var activePointer: PointerSource?
    public var pressed: KioskPress?
    public var lastActivity: Double
    /// The latest time any input carried: what lock-out countdowns are drawn against.
    public var time: Double
    public var cursorVisible = true

    public init(width: Double, height: Double, settings: KioskSettings = KioskSettings(), now: Double) {
        self.settings = settings
        layout = KioskLayout(width: width, height: height, cornerSize: settings.cornerSize)
        lastActivity = now
        time = now
    }

    public static func == (a: KioskState, b: KioskState) -> Bool {
        a.settings == b.settings && a.layout == b.layout && a.overlay == b.overlay && a.pinEntry == b.pinEntry
            && a.verifying == b.verifying && a.nextSerial == b.nextSerial && a.pinMessage == b.pinMessage
            && a.failedAttempts == b.failedAttempts && a.lockouts == b.lockouts && a.lockedUntil == b.lockedUntil
            && a.cornerHold?.source == b.cornerHold?.source && a.cornerHold?.start == b.cornerHold?.start
            && a.swallowedPointer == b.swallowedPointer && a.activePointer == b.activePointer && a.pressed == b.pressed
            && a.lastActivity == b.lastActivity && a.time == b.time && a.cursorVisible == b.cursorVisible
    }

    /// Seconds of lock-out left at `now`, or nil when the pad accepts PINs.
    public func lockoutRemaining(at now: Double) -> Double? {
        guard let until = lockedUntil, now < until else { return nil }
        return until - now
    }

    /// The next moment the kiosk must be told the time (`.tick`): the end of a long press,
    /// of the idle period, or the next second of a lock-out countdown.
    public func nextDeadline(after now: Double) -> Double {
        var deadline = lastActivity + settings.idleTimeout
        if let hold = cornerHold { deadline = min(deadline, hold.start + settings.longPress) }
        if overlay == .pinPad, let until = lockedUntil, until > now { deadline = min(deadline, min(until, now + 1)) }
        return deadline
    }
}

/// Input to the kiosk gate: the window's events, the clock, and PIN check replies.
public enum KioskInput: Equatable, Sendable {
    case app(AppEvent)
    case tick(time: Double)
    case pinChecked(serial: Int, matches: Bool, time: Double)
    /// The check could not run (no PIN file, unreadable file): not a wrong attempt.
    case pinCheckFailed(serial: Int, message: String)
}

/// Work for the window: privileged actions after a correct PIN, and chores.
public enum KioskEffect: Equatable, Sendable {
    /// Compare with the stored hash off the UI thread; reply with `.pinChecked`.
    case verifyPIN(String, serial: Int)
    case quit
    /// Open the dashboard, its admin actions allowed until `adminUntil`.
    case openDashboard(adminUntil: Double)
    case toggleTheme
    /// Idle timeout: clear the canvas, close the dashboard, show "Draw a digit".
    case startOver
    case setCursorVisible(Bool)
}

/// The gate's answer: the event to pass on to the app (nil when the kiosk kept it) and work to do.
public struct KioskVerdict: Equatable, Sendable {
    public var forward: AppEvent?
    public var effects: [KioskEffect]
    public init(forward: AppEvent? = nil, effects: [KioskEffect] = []) {
        self.forward = forward
        self.effects = effects
    }
}
