import CSDL2
import NumeralUI

/// An SDL texture, destroyed with this object; it keeps its renderer alive. Made by `Renderer`.
final class Texture {
    /// How a texture's pixels are laid out, drawn and scaled.
    struct Style {
        enum Order { case abgr, argb }
        var order = Order.abgr
        /// Uploaded again every frame or so (the camera frame, the ink).
        var streaming = false
        var blends: Bool
        /// Scaled smoothly; otherwise each pixel stays a crisp square.
        var smooth = false

        /// Opaque pixels scaled as crisp squares: what the model sees, the evidence maps.
        static let crisp = Style(blends: false)
        /// White with coverage in alpha, tinted when drawn: round corners, chart lines.
        static let coverage = Style(blends: true)
        /// Coverage scaled smoothly: a dropped picture's ink.
        static let smoothCoverage = Style(blends: true, smooth: true)
        static let cameraFrame = Style(order: .argb, streaming: true, blends: false, smooth: true)
        /// The canvas ink in its own color, coverage in alpha: ARGB8888 is the order SDL's
        /// software renderer blends onto the window with its fast blitter.
        static let ink = Style(order: .argb, streaming: true, blends: true)
    }

    /// Only `Renderer` uses the C handle.
    let handle: OpaquePointer
    let width: Int
    let height: Int
    private let renderer: Renderer
    /// Pixels being converted for an upload, reused between uploads.
    private var scratch: [UInt32] = []

    init(renderer: Renderer, handle: OpaquePointer, width: Int, height: Int) {
        self.renderer = renderer
        self.handle = handle
        self.width = width
        self.height = height
    }

    deinit { SDL_DestroyTexture(handle) }

    /// White pixels are drawn in `color`, and every pixel with its alpha.
    func tint(_ color: RGBA) {
        SDL_SetTextureColorMod(handle, color.r, color.g, color.b)
        SDL_SetTextureAlphaMod(handle, color.a)
    }

    /// Replaces `rect` (the whole texture when nil) with 32-bit pixels in the texture's order,
    /// rows top first and `rect`'s width apart.
    func update(_ pixels: [UInt32], in rect: PixelRect? = nil) {
        let w = rect.map { Int($0.w) } ?? width, h = rect.map { Int($0.h) } ?? height
        precondition(pixels.count >= w * h, "\(pixels.count) pixels for a \(w)x\(h) upload")
        pixels.withUnsafeBytes { raw in
            rect.withSDLRect { r in _ = SDL_UpdateTexture(handle, r, raw.baseAddress, Int32(w * 4)) }
        }
    }

    /// Replaces `rect` (the whole texture when nil) with the pixels `fill` writes, row by row.
    func update(in rect: PixelRect? = nil, fill: (UnsafeMutableBufferPointer<UInt32>) -> Void) {
        let n = (rect.map { Int($0.w) } ?? width) * (rect.map { Int($0.h) } ?? height)
        if scratch.count < n { scratch = [UInt32](repeating: 0, count: n) }
        scratch.withUnsafeMutableBufferPointer { fill(UnsafeMutableBufferPointer(rebasing: $0[0..<n])) }
        update(scratch, in: rect)
    }

    /// Gray bytes, one per pixel (0 black, 255 white), as opaque gray: a camera frame.
    func update(gray: [UInt8]) {
        update { target in
            gray.withUnsafeBufferPointer { source in
                for i in 0..<min(target.count, source.count) {
                    let v = UInt32(source[i])
                    target[i] = 0xFF00_0000 | (v << 16) | (v << 8) | v
                }
            }
        }
    }

    /// Levels 0...1, one per pixel: as opaque gray (1 white) in a `crisp` texture — what the
    /// model sees —, as coverage in alpha over white in a blending one, tinted when drawn.
    /// NaN or out-of-range values from a faulty recognizer draw as 0 or 1.
    func update(levels: [Float], asCoverage: Bool) {
        update { target in
            levels.withUnsafeBufferPointer { source in
                for i in 0..<min(target.count, source.count) {
                    let v = source[i]
                    let level = UInt32(v.isFinite ? (min(max(v, 0), 1) * 255).rounded() : 0)
                    target[i] = asCoverage ? (level << 24) | 0x00FF_FFFF : 0xFF00_0000 | (level << 16) | (level << 8) | level
                }
            }
        }
    }
}
