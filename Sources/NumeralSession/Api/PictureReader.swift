import NumeralVision

/// The one place the server turns picture bytes into pixels, through Vision's PNG and JPEG
/// (libjpeg-turbo, EXIF orientation honoured) codecs.
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
            do {
                return try JPEGCodec.decode(data: bytes)
            } catch {
                throw ServiceError.badRequest("The JPEG picture cannot be read: it is damaged, truncated or too large.")
            }
        }
    }
}
