import CSDL2
import NumeralVision

/// A GrayImage as an SDL texture, re-uploaded only when the image changes.
final class GrayTexture {
    enum Style {
        /// Gray levels as the model sees them: 1 = white ink on black, nearest-neighbor scaled
        /// so each model pixel stays a crisp square.
        case modelInput
        /// Ink coverage in alpha over white, tinted with the theme's ink color and smoothly scaled.
        case ink
    }

    private let style: Style
    private var texture: OpaquePointer?
    private var image: GrayImage?
    private var scratch: [UInt32] = []

    init(style: Style) { self.style = style }
    deinit { if let texture { SDL_DestroyTexture(texture) } }

    func texture(for newImage: GrayImage, renderer: OpaquePointer) -> OpaquePointer? {
        guard newImage.width > 0, newImage.height > 0 else { return nil }
        if let texture, image == newImage { return texture }
        if image?.width != newImage.width || image?.height != newImage.height || texture == nil {
            if let texture { SDL_DestroyTexture(texture) }
            texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888.rawValue,
                                        Int32(SDL_TEXTUREACCESS_STATIC.rawValue),
                                        Int32(newImage.width), Int32(newImage.height))
            guard let texture else { image = nil; return nil }
            SDL_SetTextureBlendMode(texture, style == .ink ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE)
            SDL_SetTextureScaleMode(texture, style == .ink ? SDL_ScaleModeLinear : SDL_ScaleModeNearest)
        }
        guard let texture else { return nil }
        fillScratch(from: newImage)
        scratch.withUnsafeBytes { raw in
            _ = SDL_UpdateTexture(texture, nil, raw.baseAddress, Int32(newImage.width * 4))
        }
        image = newImage
        return texture
    }

    private func fillScratch(from image: GrayImage) {
        let n = image.width * image.height
        if scratch.count != n { scratch = [UInt32](repeating: 0, count: n) }
        let style = self.style
        image.pixels.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let v = src[i]
                    // NaN or out-of-range values from a faulty recognizer draw as paper or full ink.
                    let level = UInt32(v.isFinite ? (min(max(v, 0), 1) * 255).rounded() : 0)
                    switch style {
                    case .modelInput: dst[i] = 0xFF00_0000 | (level << 16) | (level << 8) | level
                    case .ink: dst[i] = (level << 24) | 0x00FF_FFFF
                    }
                }
            }
        }
    }
}
