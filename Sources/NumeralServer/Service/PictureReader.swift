import NumeralVision

/// The one place the server turns picture bytes into pixels. PNG goes through Vision's PNG
/// codec; JPEG is refused with 415 until Vision can read it (a JPEG reader is being added
/// there; when it lands, call it here).
enum PictureReader {
    static func decode(_ bytes: [UInt8], format: PictureFormat) throws -> DecodedImage {
        switch format {
        case .png:
            do {
                return try PNGCodec.decode(data: bytes)
            } catch {
                throw ServiceError.badRequest("The PNG picture cannot be read: it is damaged, truncated or too large.")
            }
        case .jpeg:
            throw ServiceError.unsupportedMediaType("JPEG pictures cannot be read by this build yet: send the picture as PNG.")
        }
    }
}
