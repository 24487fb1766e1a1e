import XCTest
@testable import NumeralUI

final class KioskGateTests: XCTestCase {
    private let stamp = LocalTimestamp(year: 2026, month: 3, day: 7, hour: 9, minute: 5, second: 1)

    private func fresh(idle: Double = 90) -> KioskState {
        KioskState(width: 1280, height: 1024, settings: KioskSettings(idleTimeout: idle), now: 0)
    }

    private func key(_ k: Key, ctrl: Bool = false, time: Double = 1) -> KioskInput {
        .app(.key(KeyPress(k, ctrl: ctrl, time: time, stamp: stamp)))
    }

    private func pointer(_ phase: PointerPhase, _ p: UIPoint, source: PointerSource = .mouse, time: Double) -> KioskInput {
        .app(.pointer(PointerEvent(phase, source, at: p, time: time)))
    }

    /// Holds the admin corner for `seconds`, then releases it.
    private func longPress(_ s: inout KioskState, seconds: Double = 2.2, start: Double = 10) -> [KioskEffect] {
        let corner = UIPoint(x: 20, y: 20)
        var effects = reduceKiosk(&s, pointer(.down, corner, time: start)).effects
        effects += reduceKiosk(&s, .tick(time: start + seconds)).effects
        effects += reduceKiosk(&s, pointer(.up, corner, time: start + seconds + 0.05)).effects
        return effects
    }

    private func tap(_ s: inout KioskState, _ key: PINPadKey, time: Double) -> [KioskEffect] {
        guard let r = s.layout.rect(of: key) else { XCTFail("no key \(key)"); return [] }
        var effects = reduceKiosk(&s, pointer(.down, r.center, source: .touch(finger: 1), time: time)).effects
        effects += reduceKiosk(&s, pointer(.up, r.center, source: .touch(finger: 1), time: time + 0.05)).effects
        return effects
    }

    private func tap(_ s: inout KioskState, _ action: KioskAdminAction, time: Double) -> [KioskEffect] {
        guard let r = s.layout.rect(of: action) else { XCTFail("no button \(action)"); return [] }
        var effects = reduceKiosk(&s, pointer(.down, r.center, source: .touch(finger: 2), time: time)).effects
        effects += reduceKiosk(&s, pointer(.up, r.center, source: .touch(finger: 2), time: time + 0.05)).effects
        return effects
    }

    /// Types `pin` on the pad and presses OK; returns the verification request.
    private func enter(_ s: inout KioskState, _ pin: String, time: Double) -> [KioskEffect] {
        var effects: [KioskEffect] = []
        for (i, c) in pin.enumerated() {
            effects += tap(&s, .digit(c.wholeNumberValue ?? 0), time: time + Double(i) * 0.2)
        }
        return effects + tap(&s, .ok, time: time + Double(pin.count) * 0.2)
    }

    private func admin(_ s: inout KioskState) {
        _ = longPress(&s)
        let effects = enter(&s, "2468", time: 20)
        guard case .verifyPIN(_, let serial)? = effects.last else { return XCTFail("no PIN check requested: \(effects)") }
        _ = reduceKiosk(&s, .pinChecked(serial: serial, matches: true, time: 22))
    }

    func testQuitCloseDashboardThemeAndFullscreenAreIgnoredWithoutThePIN() {
        var s = fresh()
        XCTAssertNil(reduceKiosk(&s, .app(.quitRequested)).forward, "window close / Alt+F4 / SDL_QUIT")
        for blocked in [key(.escape), key(.letter("q")), key(.letter("q"), ctrl: true), key(.letter("d")),
                        key(.letter("t")), key(.letter("s")), key(.f11), key(.f12)] {
            XCTAssertEqual(reduceKiosk(&s, blocked), KioskVerdict(), "\(blocked) must be ignored")
        }
        XCTAssertEqual(s.overlay, .none)
    }

    func testDrawingPredictingAndFeedbackPassThrough() {
        var s = fresh()
        let canvasPoint = UIPoint(x: 400, y: 400)
        let down = PointerEvent(.down, .touch(finger: 3), at: canvasPoint, time: 1)
        XCTAssertEqual(reduceKiosk(&s, .app(.pointer(down))).forward, .pointer(down))
        for allowed: AppEvent in [.key(KeyPress(.enter, time: 2, stamp: stamp)), .key(KeyPress(.digit(7), time: 2, stamp: stamp)),
                                  .key(KeyPress(.letter("c"), time: 2, stamp: stamp)), .tick(time: 3),
                                  .resized(width: 1400, height: 900), .predictionLogged(serial: 1, outcome: .logged(id: 3))] {
            XCTAssertEqual(reduceKiosk(&s, .app(allowed)).forward, allowed)
        }
        XCTAssertEqual(s.layout.size, UISize(width: 1400, height: 900), "the kiosk follows the window size")
    }

    func testAShortPressInTheCornerDoesNothingAndALongOneOpensThePINPad() {
        var s = fresh()
        _ = longPress(&s, seconds: 1.0)
        XCTAssertEqual(s.overlay, .none)
        let corner = UIPoint(x: 20, y: 20)
        _ = reduceKiosk(&s, pointer(.down, corner, time: 30))
        XCTAssertEqual(s.nextDeadline(after: 30), 32, "the loop wakes when the press becomes long")
        _ = reduceKiosk(&s, .tick(time: 32))
        XCTAssertEqual(s.overlay, .pinPad, "opens while still held")
        XCTAssertNil(reduceKiosk(&s, pointer(.up, corner, time: 32.1)).forward)
        XCTAssertNil(s.swallowedPointer)
    }

    func testSlidingOutOfTheCornerCancelsTheLongPress() {
        var s = fresh()
        _ = reduceKiosk(&s, pointer(.down, UIPoint(x: 20, y: 20), time: 1))
        _ = reduceKiosk(&s, pointer(.move, UIPoint(x: 300, y: 300), time: 1.5))
        _ = reduceKiosk(&s, .tick(time: 4))
        XCTAssertEqual(s.overlay, .none)
        XCTAssertNil(reduceKiosk(&s, pointer(.up, UIPoint(x: 300, y: 300), time: 4.1)).forward, "the gesture stays swallowed")
    }

    func testTheCorrectPINOpensTheAdminMenuWhoseButtonsQuitAndOpenTheDashboard() {
        var s = fresh()
        _ = longPress(&s)
        let effects = enter(&s, "2468", time: 20)
        XCTAssertEqual(effects, [.setCursorVisible(false), .verifyPIN("2468", serial: 1)])
        XCTAssertEqual(s.pinEntry, "", "the PIN does not stay in the state")
        XCTAssertNotNil(s.verifying)
        XCTAssertEqual(tap(&s, .digit(1), time: 21), [], "no typing while checking")
        _ = reduceKiosk(&s, .pinChecked(serial: 1, matches: true, time: 22))
        XCTAssertEqual(s.overlay, .adminMenu)

        XCTAssertEqual(tap(&s, .toggleTheme, time: 23), [.toggleTheme])
        XCTAssertEqual(s.overlay, .adminMenu, "theme can be toggled again")
        XCTAssertEqual(tap(&s, .dashboard, time: 24), [.openDashboard(adminUntil: 24.05 + KioskSettings().adminGrace)], "the release opens it, the grant counted from then")
        XCTAssertEqual(s.overlay, .none)
        XCTAssertNil(reduceKiosk(&s, .app(.quitRequested)).forward, "the admin menu grants actions, not a free pass")

        admin(&s)
        XCTAssertEqual(tap(&s, .quit, time: 30), [.quit])
        admin(&s)
        XCTAssertEqual(tap(&s, .closeMenu, time: 31), [])
        XCTAssertEqual(s.overlay, .none)
    }

    func testKeyboardWorksOnThePadAndEscapeCancels() {
        var s = fresh()
        _ = longPress(&s)
        for d in [1, 3, 5] { _ = reduceKiosk(&s, key(.digit(d), time: 20)) }
        _ = reduceKiosk(&s, key(.backspace, time: 20))
        XCTAssertEqual(s.pinEntry, "13")
        XCTAssertEqual(reduceKiosk(&s, key(.enter, time: 20)).effects, [], "too short to check")
        XCTAssertEqual(s.pinMessage, "Enter 4–12 digits")
        _ = reduceKiosk(&s, key(.escape, time: 21))
        XCTAssertEqual(s.overlay, .none)
        XCTAssertEqual(s.pinEntry, "")
    }

    func testThreeWrongPINsLockThePadAndEachLockOutDoubles() {
        var s = fresh(idle: 10_000)
        _ = longPress(&s)
        var time = 20.0
        func wrong() {
            let effects = enter(&s, "0000", time: time)
            guard case .verifyPIN(_, let serial)? = effects.last else { return XCTFail("no check requested at \(time)") }
            time += 2
            _ = reduceKiosk(&s, .pinChecked(serial: serial, matches: false, time: time))
            time += 1
        }
        wrong()
        XCTAssertEqual(s.pinMessage, "Wrong PIN. 2 more wrong tries lock the pad.")
        wrong()
        wrong()
        let lockStart = time - 1
        XCTAssertEqual(s.lockedUntil, lockStart + 30)
        XCTAssertEqual(s.pinMessage, "Wrong PIN. Locked: try again in 30 s")
        XCTAssertEqual(enter(&s, "2468", time: time), [], "digits and OK are ignored while locked")
        XCTAssertEqual(s.nextDeadline(after: time), time + 1, "the countdown is redrawn every second")

        time = lockStart + 31
        _ = reduceKiosk(&s, .tick(time: time))
        XCTAssertNil(s.lockoutRemaining(at: s.time))
        wrong(); wrong(); wrong()
        XCTAssertEqual(s.lockedUntil! - (time - 1), 60, accuracy: 1e-9, "the second lock-out doubles")

        time += 61
        _ = reduceKiosk(&s, .tick(time: time))
        let effects = enter(&s, "2468", time: time)
        guard case .verifyPIN(_, let serial)? = effects.last else { return XCTFail("unlocked pad must check again") }
        _ = reduceKiosk(&s, .pinChecked(serial: serial, matches: true, time: time + 2))
        XCTAssertEqual(s.overlay, .adminMenu)
        XCTAssertEqual(s.lockouts, 0, "a correct PIN resets the doubling")
        XCTAssertEqual(s.failedAttempts, 0)
    }

    func testAFailedCheckIsNotCountedAsAWrongPIN() {
        var s = fresh()
        _ = longPress(&s)
        _ = enter(&s, "2468", time: 20)
        _ = reduceKiosk(&s, .pinCheckFailed(serial: 1, message: "No admin PIN is set"))
        XCTAssertEqual(s.failedAttempts, 0)
        XCTAssertEqual(s.pinMessage, "No admin PIN is set")
        XCTAssertNil(s.verifying)
    }

    func testIdleTimeoutStartsOverOncePerIdlePeriodAndClosesThePad() {
        var s = fresh(idle: 90)
        _ = reduceKiosk(&s, pointer(.down, UIPoint(x: 400, y: 400), source: .touch(finger: 1), time: 5))
        XCTAssertEqual(s.nextDeadline(after: 6), 95)
        XCTAssertEqual(reduceKiosk(&s, .tick(time: 94)).effects, [])
        XCTAssertEqual(reduceKiosk(&s, .tick(time: 95)).effects, [.startOver])
        XCTAssertEqual(reduceKiosk(&s, .tick(time: 96)).effects, [], "not again until another full period")
        _ = longPress(&s, start: 100)
        XCTAssertEqual(s.overlay, .pinPad)
        XCTAssertEqual(reduceKiosk(&s, .tick(time: 102.25 + 90)).effects, [.startOver])
        XCTAssertEqual(s.overlay, .none, "an abandoned PIN pad closes too")
    }

    func testTouchHidesTheCursorAndRealMouseMotionShowsIt() {
        var s = fresh()
        XCTAssertEqual(reduceKiosk(&s, pointer(.down, UIPoint(x: 400, y: 400), source: .touch(finger: 1), time: 1)).effects,
                       [.setCursorVisible(false)])
        XCTAssertEqual(reduceKiosk(&s, pointer(.up, UIPoint(x: 400, y: 400), source: .touch(finger: 1), time: 1.1)).effects, [])
        XCTAssertEqual(reduceKiosk(&s, pointer(.move, UIPoint(x: 410, y: 400), time: 2)).effects, [.setCursorVisible(true)])
        XCTAssertTrue(s.cursorVisible)
    }

    func testPINPadAndMenuFitTheSmallestWindowWithFingerSizedKeys() {
        // Keys stay finger-sized: 60 points, or 48 (Material's smallest touch target) under 600 high.
        for (w, h) in [(640.0, 480.0), (800, 600), (880.0, 600.0), (1920, 1080)] {
            let l = KioskLayout(width: w, height: h)
            for (key, r) in l.pinKeys {
                XCTAssertGreaterThanOrEqual(min(r.width, r.height), h < 600 ? 48 : 60, "\(key)")
                XCTAssertTrue(r.minY >= 0 && r.maxY <= h && r.minX >= 0 && r.maxX <= w, "\(key) outside \(w)x\(h)")
                XCTAssertEqual(l.pinKey(at: r.center), key)
            }
            XCTAssertTrue(l.pinPanel.minY >= 0 && l.pinPanel.maxY <= h, "PIN pad outside \(w)x\(h)")
            for (action, r) in l.menuButtons {
                XCTAssertTrue(r.minY >= 0 && r.maxY <= h, "\(action) outside")
                XCTAssertEqual(l.menuAction(at: r.center), action)
            }
        }
    }

    /// One command table: keys and buttons map to the same commands, and the gate keeps exactly
    /// the privileged ones from visitors, whether they arrive as a key or as a command.
    func testTheGateKeepsPrivilegedCommandsFromKeysAndCommandsAlike() {
        XCTAssertEqual(AppCommand(KeyPress(.letter("t"), time: 0, stamp: stamp)), AppCommand(ButtonID.theme))
        XCTAssertEqual(AppCommand(KeyPress(.enter, time: 0, stamp: stamp)), AppCommand(ButtonID.predict))
        XCTAssertNil(AppCommand(KeyPress(.letter("t"), ctrl: true, time: 0, stamp: stamp)), "Ctrl+T means nothing")
        var s = fresh()
        for (k, ctrl) in [(Key.escape, false), (.f11, false), (.f12, false), (.letter("q"), false), (.letter("q"), true),
                          (.letter("d"), false), (.letter("t"), false), (.letter("s"), false)] {
            XCTAssertNil(reduceKiosk(&s, key(k, ctrl: ctrl)).forward, "\(k) ctrl \(ctrl) needs the admin PIN")
        }
        for k in [Key.enter, .backspace, .digit(4), .letter("c"), .letter("e")] {
            XCTAssertNotNil(reduceKiosk(&s, key(k)).forward, "\(k) is the visitor's")
        }
        XCTAssertNil(reduceKiosk(&s, .app(.command(.theme, time: 2))).forward)
        XCTAssertNotNil(reduceKiosk(&s, .app(.command(.clear, time: 2))).forward)
        // The admin menu's theme toggle reaches the app as a command, not as a forged key press.
        var app = AppState()
        let before = app.theme
        XCTAssertEqual(reduce(&app, .command(.theme, time: 3)), [])
        XCTAssertEqual(app.theme, before.toggled)
    }
}
