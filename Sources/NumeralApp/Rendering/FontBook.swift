import CSDL2

/// SDL2_ttf fonts by weight and pixel size, and rendered text as tintable textures.
/// Text is rendered white once and colored when drawn, so theme changes and hover colors
/// reuse the same texture.
final class FontBook {
    enum Weight: Hashable { case regular, bold }

    private let paths: [Weight: String]
    private var fonts: [FontKey: OpaquePointer] = [:]
    private var texts: [TextKey: Texture] = [:]
    private var usedThisFrame: Set<TextKey> = []

    private struct FontKey: Hashable { let weight: Weight; let pixels: Int }
    private struct TextKey: Hashable { let text: String; let font: FontKey }

    init() throws {
        if TTF_WasInit() == 0, TTF_Init() != 0 {
            throw SDLError.display(operation: "Starting SDL2_ttf", detail: SDLError.lastDetail)
        }
        let regular = try FontLocator.locate(.regular)
        // A missing bold face is cosmetic; fall back to the regular one.
        let bold = (try? FontLocator.locate(.bold)) ?? regular
        paths = [.regular: regular, .bold: bold]
        // Fail now, with the path in the message, rather than on the first frame.
        _ = try font(.regular, pixels: 14)
    }

    deinit { for f in fonts.values { TTF_CloseFont(f) } }

    private func font(_ weight: Weight, pixels: Int) throws -> OpaquePointer {
        let key = FontKey(weight: weight, pixels: max(4, pixels))
        if let f = fonts[key] { return f }
        let path = paths[weight] ?? ""
        guard let f = TTF_OpenFont(path, Int32(key.pixels)) else {
            throw SDLError.font(path: path, detail: SDLError.lastDetail)
        }
        fonts[key] = f
        return f
    }

    /// The white text texture for `text`, rendered at `pixels` size. Nil for empty text.
    func text(_ text: String, weight: Weight, pixels: Int, renderer: Renderer) throws -> Texture? {
        guard !text.isEmpty else { return nil }
        let key = TextKey(text: text, font: FontKey(weight: weight, pixels: max(4, pixels)))
        usedThisFrame.insert(key)
        if let cached = texts[key] { return cached }
        let f = try font(weight, pixels: pixels)
        guard let surface = TTF_RenderUTF8_Blended(f, text, SDL_Color(r: 255, g: 255, b: 255, a: 255)) else {
            throw SDLError.renderer(operation: "Rendering text", detail: SDLError.lastDetail)
        }
        defer { SDL_FreeSurface(surface) }
        let texture = try renderer.makeTexture(from: surface)
        texts[key] = texture
        return texture
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
            for key in texts.keys where !usedThisFrame.contains(key) { texts[key] = nil }
        }
        usedThisFrame.removeAll(keepingCapacity: true)
    }
}
