import CSDL2
import Foundation
import NumeralUI

/// Turns SDL events into app events. Knows nothing of the app's rules: it only says what
/// the user did, in window points and with a timestamp.
struct SDLEventTranslator {
    /// SDL's id for mouse events it synthesizes from touches (SDL_TOUCH_MOUSEID): ignored,
    /// because the touch itself arrives as finger events.
    static let touchMouseID = UInt32.max

    let userEventType: UInt32
    /// The window whose events count; events of any other window are left alone.
    /// Nil accepts every window.
    var windowID: UInt32? = nil

    init(userEventType: UInt32, windowID: UInt32? = nil) {
        self.userEventType = userEventType
        self.windowID = windowID
    }

    private func isOurs(_ id: UInt32) -> Bool { windowID == nil || windowID == id }

    /// - Parameters:
    ///   - windowSize: window size in points; finger positions arrive normalized to 0...1.
    ///   - stamp: local wall clock, read only for key presses.
    /// Takes ownership of a drop event's file name and frees it.
    func translate(_ event: inout SDL_Event, windowSize: UISize, time: Double,
                   stamp: () -> LocalTimestamp) -> [AppEvent] {
        switch event.type {
        case SDL_MOUSEBUTTONDOWN.rawValue, SDL_MOUSEBUTTONUP.rawValue:
            let b = event.button
            guard isOurs(b.windowID), b.which != SDLEventTranslator.touchMouseID,
                  b.button == UInt8(SDL_BUTTON_LEFT) else { return [] }
            let phase: PointerPhase = event.type == SDL_MOUSEBUTTONDOWN.rawValue ? .down : .up
            return [.pointer(PointerEvent(phase, .mouse, at: UIPoint(x: Double(b.x), y: Double(b.y)), time: time))]

        case SDL_MOUSEMOTION.rawValue:
            let m = event.motion
            guard isOurs(m.windowID), m.which != SDLEventTranslator.touchMouseID else { return [] }
            return [.pointer(PointerEvent(.move, .mouse, at: UIPoint(x: Double(m.x), y: Double(m.y)), time: time))]

        case SDL_FINGERDOWN.rawValue, SDL_FINGERMOTION.rawValue, SDL_FINGERUP.rawValue:
            let f = event.tfinger
            // Touch devices not bound to a window report windowID 0; those still reach us.
            guard f.windowID == 0 || isOurs(f.windowID) else { return [] }
            let phase: PointerPhase = event.type == SDL_FINGERDOWN.rawValue ? .down
                : (event.type == SDL_FINGERUP.rawValue ? .up : .move)
            let position = UIPoint(x: Double(f.x) * windowSize.width, y: Double(f.y) * windowSize.height)
            // Touch screens without pressure sensing report 0 or 1 constantly; both are
            // still valid pressures, so pass them on and let the reducer clamp.
            return [.pointer(PointerEvent(phase, .touch(finger: f.fingerId), at: position,
                                          pressure: Double(f.pressure), time: time))]

        case SDL_KEYDOWN.rawValue:
            guard isOurs(event.key.windowID), event.key.repeat == 0, let key = SDLEventTranslator.key(for: event.key.keysym.sym) else { return [] }
            let ctrl = (UInt32(event.key.keysym.mod) & UInt32(KMOD_CTRL.rawValue)) != 0
            return [.key(KeyPress(key, ctrl: ctrl, time: time, stamp: stamp()))]

        case SDL_WINDOWEVENT.rawValue:
            guard isOurs(event.window.windowID) else { return [] }
            switch UInt32(event.window.event) {
            case SDL_WINDOWEVENT_CLOSE.rawValue:
                // Closing the window asks to quit, like SDL_QUIT.
                return [.quitRequested]
            case SDL_WINDOWEVENT_SIZE_CHANGED.rawValue:
                return [.resized(width: Double(event.window.data1), height: Double(event.window.data2))]
            case SDL_WINDOWEVENT_LEAVE.rawValue:
                return [.pointerLeft]
            case SDL_WINDOWEVENT_FOCUS_LOST.rawValue:
                // A stroke cannot continue once another window has the pointer.
                return [.pointer(PointerEvent(.cancel, .mouse, at: UIPoint(x: 0, y: 0), time: time))]
            default:
                return []
            }

        case SDL_DROPFILE.rawValue:
            guard let file = event.drop.file else { return [] }
            let path = String(cString: file)
            SDL_free(file)
            event.drop.file = nil
            return isOurs(event.drop.windowID) ? [.fileDropped(path: path)] : []

        case SDL_QUIT.rawValue:
            return [.quitRequested]

        default:
            return []
        }
    }

    static func key(for sym: SDL_Keycode) -> Key? {
        let code = Int64(sym)
        func k(_ c: SDL_KeyCode) -> Int64 { Int64(c.rawValue) }
        switch code {
        case k(SDLK_RETURN), k(SDLK_KP_ENTER): return .enter
        case k(SDLK_BACKSPACE): return .backspace
        case k(SDLK_SPACE): return .space
        case k(SDLK_DELETE): return .delete
        case k(SDLK_ESCAPE): return .escape
        case k(SDLK_F11): return .f11
        case k(SDLK_F12): return .f12
        case k(SDLK_0)...k(SDLK_9): return .digit(Int(code - k(SDLK_0)))
        case k(SDLK_KP_1)...k(SDLK_KP_9): return .digit(Int(code - k(SDLK_KP_1)) + 1)
        case k(SDLK_KP_0): return .digit(0)
        case k(SDLK_a)...k(SDLK_z):
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .letter(Character(scalar))
        default: return nil
        }
    }
}
