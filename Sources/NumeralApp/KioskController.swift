import Dispatch
import Foundation
import NumeralUI

/// How to run the window as a kiosk.
public struct KioskSetup: Sendable {
    public var settings: KioskSettings
    /// Read again at every check, so `numeral kiosk set-pin` takes effect without a restart.
    public var pinPath: String

    public init(settings: KioskSettings = KioskSettings(), pinPath: String = KioskFiles.pinPath()) {
        self.settings = settings
        self.pinPath = pinPath
    }
}

/// What the kiosk's privileged actions and chores need from the window.
protocol KioskHost: AnyObject {
    func kioskQuit()
    func kioskOpenDashboard()
    func kioskToggleTheme()
    func kioskStartOver()
    func kioskSetCursorVisible(_ visible: Bool)
}

/// Owns the kiosk gate's state: every window event passes through `filter` before the app
/// sees it. PIN checks (slow by design) run on a background queue.
final class KioskController {
    private(set) var state: KioskState
    weak var host: KioskHost?
    private let pinPath: String
    private let queue = DispatchQueue(label: "numeral.kiosk", qos: .userInitiated)
    private let replies: KioskReplies

    init(state: KioskState, pinPath: String, wake: @escaping @Sendable () -> Void) {
        self.state = state
        self.pinPath = pinPath
        replies = KioskReplies(wake: wake)
    }

    /// Returns the event to pass on to the app (nil when the kiosk kept it) and whether the
    /// kiosk's own drawing changed.
    func filter(_ event: AppEvent) -> (forward: AppEvent?, changed: Bool) {
        let (verdict, changed) = apply(.app(event))
        return (verdict.forward, changed)
    }

    /// Tells the kiosk the time when a deadline passed; returns whether anything changed.
    @discardableResult
    func tick(now: Double) -> Bool {
        guard now >= state.nextDeadline(after: now) else { return false }
        return apply(.tick(time: now)).changed
    }

    func nextDeadline(now: Double) -> Double { state.nextDeadline(after: now) }

    @discardableResult
    func drainReplies() -> Bool {
        var changed = false
        for input in replies.drain() { changed = apply(input).changed || changed }
        return changed
    }

    /// Waits for a PIN check in flight (tests).
    func waitForBackgroundWork() { queue.sync {} }

    private func apply(_ input: KioskInput) -> (KioskVerdict, changed: Bool) {
        let before = state
        let verdict = reduceKiosk(&state, input)
        for effect in verdict.effects { perform(effect) }
        return (verdict, state != before || !verdict.effects.isEmpty)
    }

    private func perform(_ effect: KioskEffect) {
        switch effect {
        case .verifyPIN(let pin, let serial):
            let path = pinPath, replies = self.replies
            queue.async {
                let clock = MonotonicClock()
                do {
                    guard let record = try KioskFiles.readPIN(path: path) else {
                        replies.post(.pinCheckFailed(serial: serial, message: "No admin PIN is set: run `numeral kiosk set-pin`."))
                        return
                    }
                    let matches = try KioskPIN.verify(pin, against: record)
                    replies.post(.pinChecked(serial: serial, matches: matches, time: clock.now()))
                } catch {
                    replies.post(.pinCheckFailed(serial: serial, message: String(describing: error)))
                }
            }
        case .quit: host?.kioskQuit()
        case .openDashboard: host?.kioskOpenDashboard()
        case .toggleTheme: host?.kioskToggleTheme()
        case .startOver: host?.kioskStartOver()
        case .setCursorVisible(let visible): host?.kioskSetCursorVisible(visible)
        }
    }
}

/// PIN check results on their way back to the UI thread.
private final class KioskReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var inputs: [KioskInput] = []
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    func post(_ input: KioskInput) {
        lock.lock()
        inputs.append(input)
        lock.unlock()
        wake()
    }

    func drain() -> [KioskInput] {
        lock.lock()
        defer { lock.unlock() }
        let drained = inputs
        inputs.removeAll()
        return drained
    }
}
