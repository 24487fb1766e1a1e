import CSDL2

/// Ready-made ABGR8888 pixels (e.g. an evidence map's colors) as an SDL texture, nearest-neighbor
/// scaled so each model pixel stays a crisp square; re-uploaded only when the pixels change.
final class PixelTexture {
    private var texture: OpaquePointer?
    private var pixels: [UInt32] = []
    private var size = (width: 0, height: 0)

    deinit { if let texture { SDL_DestroyTexture(texture) } }

    func texture(width: Int, height: Int, pixels newPixels: [UInt32], renderer: OpaquePointer) -> OpaquePointer? {
        guard width > 0, height > 0, newPixels.count == width * height else { return nil }
        if let texture, size == (width, height), pixels == newPixels { return texture }
        if texture == nil || size != (width, height) {
            if let texture { SDL_DestroyTexture(texture) }
            texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888.rawValue, Int32(SDL_TEXTUREACCESS_STATIC.rawValue),
                                        Int32(width), Int32(height))
            guard let texture else { return nil }
            SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_NONE)
            SDL_SetTextureScaleMode(texture, SDL_ScaleModeNearest)
            size = (width, height)
        }
        guard let texture else { return nil }
        newPixels.withUnsafeBytes { raw in _ = SDL_UpdateTexture(texture, nil, raw.baseAddress, Int32(width * 4)) }
        pixels = newPixels
        return texture
    }
}
