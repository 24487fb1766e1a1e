import CSDL2

/// A rectangle in output pixels.
struct PixelRect: Equatable {
    var x: Int32, y: Int32, w: Int32, h: Int32

    var sdl: SDL_Rect { SDL_Rect(x: x, y: y, w: w, h: h) }
}

extension Optional where Wrapped == PixelRect {
    /// The rectangle as SDL takes it: a pointer to an SDL_Rect, or nil for all of it.
    func withSDLRect<R>(_ body: (UnsafePointer<SDL_Rect>?) -> R) -> R {
        guard let rect = self?.sdl else { return body(nil) }
        return withUnsafePointer(to: rect, body)
    }
}
