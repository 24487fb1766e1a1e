import CSDL2
import NumeralSession
import NumeralUI

/// SDL2_ttf fonts by weight and pixel size, and rendered text as tintable textures.
/// Text is rendered white once and colored with texture color mod, so theme changes and
/// hover colors reuse the same texture.
final class FontBook {
    enum Weight: Hashable { case regular, bold }

    struct TextTexture {
        let texture: OpaquePointer
        let width: Int
        let height: Int
    }

    private let paths: [Weight: String]
    private var fonts: [FontKey: OpaquePointer] = [:]
    private var texts: [TextKey: TextTexture] = [:]
    private var usedThisFrame: Set<TextKey> = []

    private struct FontKey: Hashable { let weight: Weight; let pixels: Int }
    private struct TextKey: Hashable { let text: String; let font: FontKey }

    init() throws {
        if TTF_WasInit() == 0, TTF_Init() != 0 {
            throw AppError.sdl(operation: "Starting SDL2_ttf", detail: sdlErrorText())
        }
        let regular = try FontLocator.locate(.regular)
        // A missing bold face is cosmetic; fall back to the regular one.
        let bold = (try? FontLocator.locate(.bold)) ?? regular
        paths = [.regular: regular, .bold: bold]
        // Fail now, with the path in the message, rather than on the first frame.
        _ = try font(.regular, pixels: 14)
    }

    deinit {
        for t in texts.values { SDL_DestroyTexture(t.texture) }
        for f in fonts.values { TTF_CloseFont(f) }
    }

    private func font(_ weight: Weight, pixels: Int) throws -> OpaquePointer {
        let key = FontKey(weight: weight, pixels: max(4, pixels))
        if let f = fonts[key] { return f }
        let path = paths[weight] ?? ""
        guard let f = TTF_OpenFont(path, Int32(key.pixels)) else {
            throw AppError.sdl(operation: "Opening font \(path)", detail: sdlErrorText())
        }
        fonts[key] = f
        return f
    }

    /// The white text texture for `text`, rendered at `pixels` size. Nil for empty text.
    func text(_ text: String, weight: Weight, pixels: Int, renderer: OpaquePointer) throws -> TextTexture? {
        guard !text.isEmpty else { return nil }
        let fontKey = FontKey(weight: weight, pixels: max(4, pixels))
        let key = TextKey(text: text, font: fontKey)
        usedThisFrame.insert(key)
        if let cached = texts[key] { return cached }
        let f = try font(weight, pixels: pixels)
        guard let surface = TTF_RenderUTF8_Blended(f, text, SDL_Color(r: 255, g: 255, b: 255, a: 255)) else {
            throw AppError.sdl(operation: "Rendering text", detail: sdlErrorText())
        }
        defer { SDL_FreeSurface(surface) }
        guard let texture = SDL_CreateTextureFromSurface(renderer, surface) else {
            throw AppError.sdl(operation: "Creating a text texture", detail: sdlErrorText())
        }
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND)
        let entry = TextTexture(texture: texture, width: Int(surface.pointee.w), height: Int(surface.pointee.h))
        texts[key] = entry
        return entry
    }

    /// Width in pixels of `text`, without rendering it.
    func width(of text: String, weight: Weight, pixels: Int) -> Int {
        guard !text.isEmpty, let f = try? font(weight, pixels: pixels) else { return 0 }
        var w: Int32 = 0, h: Int32 = 0
        return TTF_SizeUTF8(f, text, &w, &h) == 0 ? Int(w) : 0
    }

    /// Frees text not drawn in the last frame once the cache grows, so changing numbers
    /// (latencies, percentages) cannot grow memory without bound.
    func endFrame() {
        if texts.count > 300 {
            for (key, entry) in texts where !usedThisFrame.contains(key) {
                SDL_DestroyTexture(entry.texture)
                texts[key] = nil
            }
        }
        usedThisFrame.removeAll(keepingCapacity: true)
    }
}
