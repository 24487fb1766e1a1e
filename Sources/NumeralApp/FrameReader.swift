import CSDL2
import NumeralSession

/// Reads what a renderer has drawn as RGBA bytes (R, G, B, A per pixel, top row first):
/// SDL_PIXELFORMAT_ABGR8888 is exactly that byte order on little-endian machines.
enum FrameReader {
    static func readRGBA(_ renderer: OpaquePointer) throws -> (width: Int, height: Int, rgba: [UInt8]) {
        var w: Int32 = 0, h: Int32 = 0
        guard SDL_GetRendererOutputSize(renderer, &w, &h) == 0, w > 0, h > 0 else {
            throw AppError.sdl(operation: "Reading the frame size", detail: sdlErrorText())
        }
        var rgba = [UInt8](repeating: 0, count: Int(w) * Int(h) * 4)
        let status = rgba.withUnsafeMutableBytes { raw in
            SDL_RenderReadPixels(renderer, nil, SDL_PIXELFORMAT_ABGR8888.rawValue, raw.baseAddress, w * 4)
        }
        guard status == 0 else {
            throw AppError.sdl(operation: "Reading the frame pixels", detail: sdlErrorText())
        }
        return (Int(w), Int(h), rgba)
    }
}
