import Foundation

/// Reads a picture file whatever its format, judged by its first bytes (not its name):
/// PNG through libpng, JPEG through libjpeg-turbo. Errors name the file and what to do.
public enum PictureFile {
    public enum Format: String, Sendable { case png, jpeg }

    /// The format of a file's leading bytes, or nil if it is neither PNG nor JPEG.
    public static func format(of bytes: UnsafeRawBufferPointer) -> Format? {
        if bytes.count >= 8, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 { return .png }
        if JPEGCodec.looksLikeJPEG(bytes) { return .jpeg }
        return nil
    }

    /// Reads and decodes a PNG or JPEG file.
    public static func decode(path: String) throws -> DecodedImage {
        try read(path: path).image
    }

    /// Reads and decodes a PNG or JPEG file, also saying which it was.
    public static func read(path: String) throws -> (image: DecodedImage, format: Format) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PNGError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw PNGError.unreadable(path: path, reason: "it is a folder, not a picture file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= PNGCodec.maxFileBytes else {
            throw PNGError.unreadable(path: path, reason: "file is \(size / 1_048_576) MB, more than any digit picture needs")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PNGError.unreadable(path: path, reason: error.localizedDescription)
        }
        return try data.withUnsafeBytes { bytes in
            switch format(of: bytes) {
            case .jpeg: return (try JPEGCodec.decode(bytes: bytes, source: path), .jpeg)
            case .png, nil:
                // Not JPEG: the PNG decoder says precisely what is wrong with it.
                return (try PNGCodec.decode(data: Array(bytes), source: path), .png)
            }
        }
    }
}
