import Foundation

/// A ScreenshotWriter from a closure, e.g. `ClosureScreenshotWriter(PNGCodec.writeRGBA)`.
public struct ClosureScreenshotWriter: ScreenshotWriter {
    private let write: @Sendable (String, Int, Int, [UInt8]) throws -> Void
    public init(_ write: @escaping @Sendable (_ path: String, _ width: Int, _ height: Int, _ rgba: [UInt8]) throws -> Void) {
        self.write = write
    }
    /// Writes the PNG, making its folder first (a screenshot's default folder may not exist yet).
    public func writePNG(path: String, width: Int, height: Int, rgba: [UInt8]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try write(path, width, height, rgba)
    }
}
