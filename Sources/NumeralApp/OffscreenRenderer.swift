import CSDL2
import NumeralSession

/// A software renderer drawing into memory: the same drawing code as the window, without a
/// display. Used by tests and anywhere a frame is needed headless.
public final class OffscreenRenderer {
    public let renderer: OpaquePointer
    public let width: Int
    public let height: Int
    private let surface: UnsafeMutablePointer<SDL_Surface>

    public init(width: Int, height: Int) throws {
        guard width > 0, height > 0,
              let surface = SDL_CreateRGBSurfaceWithFormat(0, Int32(width), Int32(height), 32, SDL_PIXELFORMAT_ABGR8888.rawValue) else {
            throw AppError.sdl(operation: "Creating a \(width)x\(height) offscreen surface", detail: sdlErrorText())
        }
        guard let renderer = SDL_CreateSoftwareRenderer(surface) else {
            SDL_FreeSurface(surface)
            throw AppError.sdl(operation: "Creating the software renderer", detail: sdlErrorText())
        }
        self.surface = surface
        self.renderer = renderer
        self.width = width
        self.height = height
    }

    deinit {
        SDL_DestroyRenderer(renderer)
        SDL_FreeSurface(surface)
    }

    public func readRGBA() throws -> [UInt8] { try FrameReader.readRGBA(renderer).rgba }
}
