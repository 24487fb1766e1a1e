/// Writes a screenshot. The app is wired with NumeralVision's PNG encoder
/// (`PNGCodec.writeRGBA`) by whoever builds `AppServices`.
public protocol ScreenshotWriter: Sendable {
    func writePNG(path: String, width: Int, height: Int, rgba: [UInt8]) throws
}
