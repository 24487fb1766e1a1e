import Dispatch
import Foundation
import NumeralUI

/// Owns the kiosk gate's state: every window event passes through `filter` before the app
/// sees it. PIN checks (slow by design) run on a background queue.
public final class KioskController {
    public let runner: SessionRunner<KioskState, KioskInput, KioskVerdict>
    public weak var host: KioskHost?
    private let pinPath: String
    private let queue = DispatchQueue(label: "numeral.kiosk", qos: .userInitiated)

    public init(state: KioskState, pinPath: String, wake: @escaping @Sendable () -> Void) {
        self.pinPath = pinPath
        runner = SessionRunner(state: state, inbox: Inbox(wake: wake), reduce: reduceKiosk)
        runner.perform = { [unowned self] in self.perform($0) }
    }

    public var state: KioskState { runner.state }

    /// Returns the event to pass on to the app (nil when the kiosk kept it) and whether the
    /// kiosk's own drawing changed.
    public func filter(_ event: AppEvent) -> (forward: AppEvent?, changed: Bool) {
        let (verdict, changed) = apply(.app(event))
        return (verdict.forward, changed)
    }

    /// Tells the kiosk the time when a deadline passed; returns whether anything changed.
    @discardableResult
    public func tick(now: Double) -> Bool {
        guard now >= state.nextDeadline(after: now) else { return false }
        return apply(.tick(time: now)).changed
    }

    public func nextDeadline(now: Double) -> Double { state.nextDeadline(after: now) }

    @discardableResult
    public func drainReplies() -> Bool {
        var changed = false
        for input in runner.inbox.drain() { changed = apply(input).changed || changed }
        return changed
    }

    /// Waits for a PIN check in flight (tests).
    public func waitForBackgroundWork() { queue.sync {} }

    /// A verdict with effects counts as a change: the window may need to show their result.
    private func apply(_ input: KioskInput) -> (KioskVerdict, changed: Bool) {
        let (verdict, changed) = runner.apply(input)
        return (verdict, changed || !verdict.effects.isEmpty)
    }

    private func perform(_ effect: KioskEffect) {
        switch effect {
        case .verifyPIN(let pin, let serial):
            let path = pinPath
            runner.reply(on: queue) {
                let clock = MonotonicClock()
                do {
                    guard let record = try KioskFiles.readPIN(path: path) else {
                        return .pinCheckFailed(serial: serial, message: "No admin PIN is set: run `numeral kiosk set-pin`.")
                    }
                    let matches = try KioskPIN.verify(pin, against: record)
                    return .pinChecked(serial: serial, matches: matches, time: clock.now())
                } catch {
                    return .pinCheckFailed(serial: serial, message: String(describing: error))
                }
            }
        case .quit: host?.kioskQuit()
        case .openDashboard(let until): host?.kioskOpenDashboard(adminUntil: until)
        case .toggleTheme: host?.kioskToggleTheme()
        case .startOver: host?.kioskStartOver()
        case .setCursorVisible(let visible): host?.kioskSetCursorVisible(visible)
        }
    }
}

extension KioskVerdict: Reduction {}
