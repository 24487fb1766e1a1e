import CSDL2
import NumeralUI

/// A gray camera frame as an SDL texture, uploaded once per new frame (a streaming texture,
/// smoothly scaled).
final class FrameTexture {
    private var texture: OpaquePointer?
    private var size = (width: 0, height: 0)
    private var shown: (stream: Int, index: Int)?
    private var scratch: [UInt32] = []

    deinit { if let texture { SDL_DestroyTexture(texture) } }

    func texture(for frame: CameraFrame, stream: Int, renderer: OpaquePointer) -> OpaquePointer? {
        guard frame.width > 0, frame.height > 0, frame.gray.count == frame.width * frame.height else { return nil }
        if let texture, let shown, shown == (stream, frame.index), size == (frame.width, frame.height) { return texture }
        if texture == nil || size != (frame.width, frame.height) {
            if let texture { SDL_DestroyTexture(texture) }
            texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888.rawValue, Int32(SDL_TEXTUREACCESS_STREAMING.rawValue),
                                        Int32(frame.width), Int32(frame.height))
            guard let texture else { return nil }
            SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_NONE)
            SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear)
            size = (frame.width, frame.height)
        }
        guard let texture else { return nil }
        let n = frame.width * frame.height
        if scratch.count != n { scratch = [UInt32](repeating: 0, count: n) }
        frame.gray.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let v = UInt32(src[i])
                    dst[i] = 0xFF00_0000 | (v << 16) | (v << 8) | v
                }
            }
        }
        scratch.withUnsafeBytes { raw in
            _ = SDL_UpdateTexture(texture, nil, raw.baseAddress, Int32(frame.width * 4))
        }
        shown = (stream, frame.index)
        return texture
    }
}
