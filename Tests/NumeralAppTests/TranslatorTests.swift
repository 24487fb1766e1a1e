import XCTest
import CSDL2
import NumeralUI
@testable import NumeralApp

final class TranslatorTests: XCTestCase {
    private let stamp = LocalTimestamp(year: 2026, month: 5, day: 4, hour: 3, minute: 2, second: 1)
    private let translator = SDLEventTranslator(userEventType: 0x8001)

    private func translate(_ e: SDL_Event) -> [AppEvent] {
        var e = e
        return translator.translate(&e, windowSize: UISize(width: 1000, height: 800), time: 2, stamp: { self.stamp })
    }

    func testMouseEventsBecomeMousePointerEvents() {
        var down = SDL_Event()
        down.type = SDL_MOUSEBUTTONDOWN.rawValue
        down.button.button = UInt8(SDL_BUTTON_LEFT)
        down.button.x = 120
        down.button.y = 340
        XCTAssertEqual(translate(down), [.pointer(PointerEvent(.down, .mouse, at: UIPoint(x: 120, y: 340), time: 2))])
        down.button.button = UInt8(SDL_BUTTON_RIGHT)
        XCTAssertEqual(translate(down), [], "only the left button draws")
    }

    func testMouseEventsSynthesizedFromTouchAreIgnored() {
        var motion = SDL_Event()
        motion.type = SDL_MOUSEMOTION.rawValue
        motion.motion.which = UInt32.max
        XCTAssertEqual(translate(motion), [])
        var button = SDL_Event()
        button.type = SDL_MOUSEBUTTONDOWN.rawValue
        button.button.which = UInt32.max
        button.button.button = UInt8(SDL_BUTTON_LEFT)
        XCTAssertEqual(translate(button), [])
    }

    func testFingersBecomeTouchPointersInWindowPointsWithPressure() {
        var finger = SDL_Event()
        finger.type = SDL_FINGERMOTION.rawValue
        finger.tfinger.fingerId = 9
        finger.tfinger.x = 0.25
        finger.tfinger.y = 0.5
        finger.tfinger.pressure = 0.75
        XCTAssertEqual(translate(finger), [.pointer(PointerEvent(.move, .touch(finger: 9), at: UIPoint(x: 250, y: 400),
                                                                 pressure: 0.75, time: 2))])
    }

    func testKeysMapToAppKeys() {
        func key(_ sym: SDL_KeyCode, mod: SDL_Keymod = KMOD_NONE, repeated: Bool = false) -> [AppEvent] {
            var e = SDL_Event()
            e.type = SDL_KEYDOWN.rawValue
            e.key.keysym.sym = SDL_Keycode(sym.rawValue)
            e.key.keysym.mod = UInt16(mod.rawValue)
            e.key.repeat = repeated ? 1 : 0
            return translate(e)
        }
        XCTAssertEqual(key(SDLK_RETURN), [.key(KeyPress(.enter, time: 2, stamp: stamp))])
        XCTAssertEqual(key(SDLK_z, mod: KMOD_LCTRL), [.key(KeyPress(.letter("z"), ctrl: true, time: 2, stamp: stamp))])
        XCTAssertEqual(key(SDLK_7), [.key(KeyPress(.digit(7), time: 2, stamp: stamp))])
        XCTAssertEqual(key(SDLK_KP_3), [.key(KeyPress(.digit(3), time: 2, stamp: stamp))])
        XCTAssertEqual(key(SDLK_KP_0), [.key(KeyPress(.digit(0), time: 2, stamp: stamp))])
        XCTAssertEqual(key(SDLK_F12), [.key(KeyPress(.f12, time: 2, stamp: stamp))])
        XCTAssertEqual(key(SDLK_7, repeated: true), [], "auto-repeat must not record feedback twice")
    }

    func testEventsForAnotherWindowAreIgnored() {
        let ours = SDLEventTranslator(userEventType: 0x8001, windowID: 3)
        var down = SDL_Event()
        down.type = SDL_MOUSEBUTTONDOWN.rawValue
        down.button.button = UInt8(SDL_BUTTON_LEFT)
        down.button.windowID = 4
        XCTAssertEqual(ours.translate(&down, windowSize: UISize(width: 10, height: 10), time: 0, stamp: { self.stamp }), [])
        down.button.windowID = 3
        XCTAssertEqual(ours.translate(&down, windowSize: UISize(width: 10, height: 10), time: 0, stamp: { self.stamp }).count, 1)
        var close = SDL_Event()
        close.type = SDL_WINDOWEVENT.rawValue
        close.window.event = UInt8(SDL_WINDOWEVENT_CLOSE.rawValue)
        close.window.windowID = 3
        XCTAssertEqual(ours.translate(&close, windowSize: UISize(width: 10, height: 10), time: 0, stamp: { self.stamp }), [.quitRequested])
    }

    func testWindowResizeAndQuit() {
        var e = SDL_Event()
        e.type = SDL_WINDOWEVENT.rawValue
        e.window.event = UInt8(SDL_WINDOWEVENT_SIZE_CHANGED.rawValue)
        e.window.data1 = 1400
        e.window.data2 = 900
        XCTAssertEqual(translate(e), [.resized(width: 1400, height: 900)])
        var q = SDL_Event()
        q.type = SDL_QUIT.rawValue
        XCTAssertEqual(translate(q), [.quitRequested])
    }
}

final class CoverageCanvasTests: XCTestCase {
    func testFastStrokesStayContinuousBetweenFarApartPoints() {
        var canvas = CoverageCanvas(width: 200, height: 50)
        canvas.stampSegment(ax: 5, ay: 25, ra: 3, bx: 195, by: 25, rb: 3)
        for x in 5..<195 { XCTAssertEqual(canvas.coverage(x: x, y: 24), 255, "gap at \(x)") }
        XCTAssertEqual(canvas.coverage(x: 100, y: 5), 0)
        let dirty = canvas.takeDirtyRect()
        XCTAssertNotNil(dirty)
        XCTAssertLessThanOrEqual(dirty!.height, 12)
        XCTAssertNil(canvas.takeDirtyRect())
    }

    func testRadiusFollowsPressureAndBadValuesAreIgnored() {
        XCTAssertEqual(InkLayer.pressureFactor(nil), 1)
        XCTAssertLessThan(InkLayer.pressureFactor(0.1), InkLayer.pressureFactor(0.9))
        XCTAssertEqual(InkLayer.pressureFactor(.nan), 1)
        var canvas = CoverageCanvas(width: 10, height: 10)
        canvas.stampSegment(ax: .nan, ay: 1, ra: 2, bx: 3, by: 3, rb: 2)
        XCTAssertNil(canvas.takeDirtyRect())
        canvas.stampSegment(ax: -50, ay: -50, ra: 2, bx: -40, by: -40, rb: 2)
        XCTAssertNil(canvas.takeDirtyRect(), "entirely off-canvas: nothing touched, no crash")
    }
}
