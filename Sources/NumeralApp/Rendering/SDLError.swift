import CSDL2

/// What SDL could not do, worded so the user knows what to try.
public enum SDLError: Error, CustomStringConvertible, Equatable {
    /// SDL video, the window or its renderer could not start.
    case display(operation: String, detail: String)
    /// The renderer could not make a texture or hand over a frame.
    case renderer(operation: String, detail: String)
    case font(path: String, detail: String)

    public var description: String {
        switch self {
        case .display(let operation, let detail):
            return "\(operation) failed: \(detail). Is a display available (DISPLAY or WAYLAND_DISPLAY set)? "
                + "Run it in a desktop session, under Xvfb (xvfb-run numeral app), or as the kiosk's cage session."
        case .renderer(let operation, let detail):
            return "\(operation) failed: \(detail). The graphics driver may be out of memory or limit texture sizes: "
                + "make the window smaller, or start without --gpu to draw in software."
        case .font(let path, let detail):
            return "Opening the font \(path) failed: \(detail). Reinstall fonts-dejavu-core."
        }
    }

    /// SDL's message for the call that just failed.
    static var lastDetail: String {
        let message = SDL_GetError().map { String(cString: $0) } ?? ""
        return message.isEmpty ? "SDL gave no reason" : message
    }
}
