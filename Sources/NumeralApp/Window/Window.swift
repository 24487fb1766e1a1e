import CSDL2
import NumeralUI

/// The SDL2 window, with SDL video started for it and stopped after it: created hidden, sized
/// at least `Layout.minimumSize`; in kiosk mode borderless over the whole first display.
final class Window {
    /// Only `Renderer` uses the C handle, to draw into the window.
    let handle: OpaquePointer
    /// The window's place before F11 when full screen was made by hand, to return to.
    private var windowedFrame: SDL_Rect?
    /// System cursors, made on first use and freed with the window, and the one shown.
    private var cursors: [SDL_SystemCursor.RawValue: OpaquePointer] = [:]
    private var cursor: SDL_SystemCursor?

    init(title: String, size requested: UISize, kiosk: Bool) throws {
        guard SDL_Init(SDL_INIT_VIDEO) == 0 else {
            throw SDLError.display(operation: "Starting SDL video", detail: SDLError.lastDetail)
        }
        // Without a display SDL falls back to a driver that shows nothing, and the app would run
        // unseen; that is only wanted when asked for by name.
        let driver = SDL_GetCurrentVideoDriver().map { String(cString: $0) } ?? ""
        if ["offscreen", "dummy"].contains(driver), getenv("SDL_VIDEODRIVER") == nil {
            SDL_Quit()
            throw SDLError.display(operation: "Opening the window",
                                   detail: "no display was found, so SDL chose its invisible \"\(driver)\" driver")
        }
        var size = requested
        let centered = Int32(bitPattern: 0x2FFF_0000) // SDL_WINDOWPOS_CENTERED
        var position = (x: centered, y: centered)
        var display = SDL_Rect()
        if kiosk, SDL_GetDisplayBounds(0, &display) == 0, display.w > 0, display.h > 0 {
            // Cover the screen even without a window manager to honor the fullscreen flag.
            size = UISize(width: Double(display.w), height: Double(display.h))
            position = (display.x, display.y)
        }
        var flags = SDL_WINDOW_RESIZABLE.rawValue | SDL_WINDOW_ALLOW_HIGHDPI.rawValue | SDL_WINDOW_HIDDEN.rawValue
        if kiosk {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP.rawValue | SDL_WINDOW_BORDERLESS.rawValue
        }
        guard let handle = SDL_CreateWindow(title, position.x, position.y, Int32(size.width), Int32(size.height), flags) else {
            let detail = SDLError.lastDetail
            SDL_Quit()
            throw SDLError.display(operation: "Opening the window", detail: detail)
        }
        self.handle = handle
        SDL_SetWindowMinimumSize(handle, Int32(Layout.minimumSize.width), Int32(Layout.minimumSize.height))
    }

    deinit {
        for c in cursors.values { SDL_FreeCursor(c) }
        SDL_DestroyWindow(handle)
        SDL_Quit()
    }

    var id: UInt32 { SDL_GetWindowID(handle) }

    func show() { SDL_ShowWindow(handle) }

    func showDefaultCursor() {
        SDL_SetCursor(SDL_GetDefaultCursor())
        cursor = nil
    }

    func showCursor(_ kind: SDL_SystemCursor) {
        guard kind != cursor, let made = cursors[kind.rawValue] ?? SDL_CreateSystemCursor(kind) else { return }
        cursors[kind.rawValue] = made
        SDL_SetCursor(made)
        cursor = kind
    }

    /// The size in points (layout units).
    var size: UISize {
        var w: Int32 = 0, h: Int32 = 0
        SDL_GetWindowSize(handle, &w, &h)
        return UISize(width: Double(w), height: Double(h))
    }

    /// Full screen and back. With a window manager that is SDL's desktop fullscreen. Without
    /// one (a bare X server, some kiosks), that only tells the app the screen's size while the
    /// window keeps its old one, so there the window is made borderless and moved and sized to
    /// the display instead, and put back where it was afterwards. A window manager is taken to
    /// be absent when it put no frame around the (bordered) window.
    func toggleFullscreen() {
        if let frame = windowedFrame {
            SDL_SetWindowBordered(handle, SDL_TRUE)
            SDL_SetWindowSize(handle, frame.w, frame.h)
            SDL_SetWindowPosition(handle, frame.x, frame.y)
            windowedFrame = nil
        } else if (SDL_GetWindowFlags(handle) & SDL_WINDOW_FULLSCREEN_DESKTOP.rawValue) != 0 {
            SDL_SetWindowFullscreen(handle, 0)
        } else if hasWindowManagerFrame() {
            SDL_SetWindowFullscreen(handle, SDL_WINDOW_FULLSCREEN_DESKTOP.rawValue)
        } else {
            var frame = SDL_Rect(), bounds = SDL_Rect()
            let display = SDL_GetWindowDisplayIndex(handle)
            guard display >= 0, SDL_GetDisplayBounds(display, &bounds) == 0 else { return }
            SDL_GetWindowPosition(handle, &frame.x, &frame.y)
            SDL_GetWindowSize(handle, &frame.w, &frame.h)
            windowedFrame = frame
            SDL_SetWindowBordered(handle, SDL_FALSE)
            SDL_SetWindowPosition(handle, bounds.x, bounds.y)
            SDL_SetWindowSize(handle, bounds.w, bounds.h)
        }
    }

    private func hasWindowManagerFrame() -> Bool {
        var top: Int32 = 0, left: Int32 = 0, bottom: Int32 = 0, right: Int32 = 0
        guard SDL_GetWindowBordersSize(handle, &top, &left, &bottom, &right) == 0 else { return false }
        return top + left + bottom + right > 0
    }
}
