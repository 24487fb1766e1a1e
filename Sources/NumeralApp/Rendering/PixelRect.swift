import CSDL2

/// A rectangle in output pixels.
struct PixelRect: Equatable { var x: Int32, y: Int32, w: Int32, h: Int32 }

extension Optional where Wrapped == PixelRect {
    /// The rectangle as SDL takes it: a pointer to an SDL_Rect, or nil for all of it.
    func withSDLRect<R>(_ body: (UnsafePointer<SDL_Rect>?) -> R) -> R {
        guard let r = self else { return body(nil) }
        return withUnsafePointer(to: SDL_Rect(x: r.x, y: r.y, w: r.w, h: r.h), body)
    }
}
