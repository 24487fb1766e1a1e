import CSDL2
import NumeralUI

/// The one owner of SDL's drawing resources: an SDL_Renderer (the window's, or a software one
/// drawing into memory for tests and PNGs) and the textures made from it. Every SDL renderer,
/// texture and font call of the app is here, in `Texture` or in `FontBook`; the views draw
/// through `Painter` and never see a C pointer. A texture keeps its renderer alive and the
/// renderer its window, so SDL objects are destroyed in the order SDL needs.
final class Renderer {
    private let handle: OpaquePointer
    private let window: Window?
    private let surface: UnsafeMutablePointer<SDL_Surface>?

    /// The window's renderer: accelerated with vsync when asked, else software; any renderer
    /// SDL has as a last resort.
    init(window: Window, accelerated: Bool) throws {
        let preferred = accelerated
            ? SDL_RENDERER_ACCELERATED.rawValue | SDL_RENDERER_PRESENTVSYNC.rawValue
            : SDL_RENDERER_SOFTWARE.rawValue
        guard let handle = SDL_CreateRenderer(window.handle, -1, preferred) ?? SDL_CreateRenderer(window.handle, -1, 0) else {
            throw SDLError.display(operation: "Creating a renderer", detail: SDLError.lastDetail)
        }
        self.handle = handle
        self.window = window
        surface = nil
    }

    /// A software renderer drawing into memory: the same drawing code as the window, without a
    /// display. Used by tests and anywhere a frame is needed headless.
    init(offscreenWidth width: Int, height: Int) throws {
        guard width > 0, height > 0,
              let surface = SDL_CreateRGBSurfaceWithFormat(0, Int32(width), Int32(height), 32, SDL_PIXELFORMAT_ABGR8888.rawValue) else {
            throw SDLError.renderer(operation: "Creating a \(width)x\(height) offscreen surface", detail: SDLError.lastDetail)
        }
        guard let handle = SDL_CreateSoftwareRenderer(surface) else {
            SDL_FreeSurface(surface)
            throw SDLError.renderer(operation: "Creating the software renderer", detail: SDLError.lastDetail)
        }
        self.handle = handle
        self.surface = surface
        window = nil
    }

    deinit {
        SDL_DestroyRenderer(handle)
        if let surface { SDL_FreeSurface(surface) }
    }

    /// The size drawn into, in output pixels.
    var outputSize: (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        guard SDL_GetRendererOutputSize(handle, &w, &h) == 0 else { return (0, 0) }
        return (Int(w), Int(h))
    }

    /// Opaque colors are drawn without blending: SDL's software renderer blends every pixel
    /// otherwise, which made full-card fills the most expensive part of a frame.
    func setColor(_ c: RGBA) {
        SDL_SetRenderDrawBlendMode(handle, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
        SDL_SetRenderDrawColor(handle, c.r, c.g, c.b, c.a)
    }

    func clear() { SDL_RenderClear(handle) }

    func fill(_ r: PixelRect) { _ = Optional(r).withSDLRect { SDL_RenderFillRect(handle, $0) } }

    func outline(_ r: PixelRect) { _ = Optional(r).withSDLRect { SDL_RenderDrawRect(handle, $0) } }

    func line(_ x1: Int32, _ y1: Int32, _ x2: Int32, _ y2: Int32) { SDL_RenderDrawLine(handle, x1, y1, x2, y2) }

    /// Draws `source` (all of it when nil) of `texture` stretched over `destination` (the whole output when nil).
    func copy(_ texture: Texture, from source: PixelRect? = nil, to destination: PixelRect? = nil) {
        source.withSDLRect { src in destination.withSDLRect { dst in _ = SDL_RenderCopy(handle, texture.handle, src, dst) } }
    }

    func present() { SDL_RenderPresent(handle) }

    /// What has been drawn, as RGBA bytes (R, G, B, A per pixel, top row first):
    /// SDL_PIXELFORMAT_ABGR8888 is exactly that byte order on little-endian machines.
    func readRGBA() throws -> (width: Int, height: Int, rgba: [UInt8]) {
        let (w, h) = outputSize
        guard w > 0, h > 0 else { throw SDLError.renderer(operation: "Reading the frame size", detail: SDLError.lastDetail) }
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        let status = rgba.withUnsafeMutableBytes { raw in
            SDL_RenderReadPixels(handle, nil, SDL_PIXELFORMAT_ABGR8888.rawValue, raw.baseAddress, Int32(w * 4))
        }
        guard status == 0 else { throw SDLError.renderer(operation: "Reading the frame pixels", detail: SDLError.lastDetail) }
        return (w, h, rgba)
    }

    func makeTexture(width: Int, height: Int, style: Texture.Style) throws -> Texture {
        let format = style.order == .argb ? SDL_PIXELFORMAT_ARGB8888 : SDL_PIXELFORMAT_ABGR8888
        let access = style.streaming ? SDL_TEXTUREACCESS_STREAMING : SDL_TEXTUREACCESS_STATIC
        guard let texture = SDL_CreateTexture(handle, format.rawValue, Int32(access.rawValue), Int32(width), Int32(height)) else {
            throw SDLError.renderer(operation: "Creating a \(width)x\(height) texture", detail: SDLError.lastDetail)
        }
        SDL_SetTextureBlendMode(texture, style.blends ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE)
        SDL_SetTextureScaleMode(texture, style.smooth ? SDL_ScaleModeLinear : SDL_ScaleModeNearest)
        return Texture(renderer: self, handle: texture, width: width, height: height)
    }

    /// A blending texture of what a surface holds (rendered text).
    func makeTexture(from surface: UnsafeMutablePointer<SDL_Surface>) throws -> Texture {
        guard let texture = SDL_CreateTextureFromSurface(handle, surface) else {
            throw SDLError.renderer(operation: "Creating a text texture", detail: SDLError.lastDetail)
        }
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND)
        return Texture(renderer: self, handle: texture, width: Int(surface.pointee.w), height: Int(surface.pointee.h))
    }

    /// A texture of the output's size that this renderer can draw into, in its preferred format
    /// and without blending, so copying it to the output is a plain row copy in the software
    /// renderer. Nil when the renderer cannot draw into textures.
    func makeTargetTexture() throws -> Texture? {
        guard SDL_RenderTargetSupported(handle) == SDL_TRUE else { return nil }
        let (w, h) = outputSize
        var info = SDL_RendererInfo()
        let format = SDL_GetRendererInfo(handle, &info) == 0 && info.num_texture_formats > 0
            ? info.texture_formats.0 : SDL_PIXELFORMAT_ARGB8888.rawValue
        guard let texture = SDL_CreateTexture(handle, format, Int32(SDL_TEXTUREACCESS_TARGET.rawValue), Int32(w), Int32(h)) else {
            throw SDLError.renderer(operation: "Creating a \(w)x\(h) drawing texture", detail: SDLError.lastDetail)
        }
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_NONE)
        return Texture(renderer: self, handle: texture, width: w, height: h)
    }

    /// Runs `draw` with `target` as the drawing target; false when the renderer refused it.
    func draw(into target: Texture, _ draw: () -> Void) -> Bool {
        guard SDL_SetRenderTarget(handle, target.handle) == 0 else { return false }
        draw()
        SDL_SetRenderTarget(handle, nil)
        return true
    }
}
