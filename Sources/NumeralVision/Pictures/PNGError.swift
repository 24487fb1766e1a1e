/// Why a PNG could not be read or written. Messages say which file and what to do.
public enum PNGError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case empty(source: String)
    case notPNG(source: String)
    case tooLarge(source: String, width: Int, height: Int)
    case corrupt(source: String, reason: String)
    case invalidPixels(reason: String)
    case writeFailed(path: String, reason: String)

    /// Largest accepted side and pixel count: far beyond any digit scan, small enough to keep memory bounded.
    public static let maxSide = 8192
    public static let maxPixels = 50_000_000

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "Picture not found: \(path). Check the path."
        case let .unreadable(path, reason):
            return "Cannot read picture \(path): \(reason)."
        case let .empty(source):
            return "\(source) is empty (0 bytes); save the picture again."
        case let .notPNG(source):
            return "\(source) is not a PNG or JPEG file (unknown signature). Save the picture as PNG or JPEG."
        case let .tooLarge(source, width, height):
            return "\(source) is \(width)x\(height) pixels; pictures larger than \(Self.maxSide)x\(Self.maxSide) "
                + "or \(Self.maxPixels / 1_000_000) megapixels are refused. Crop or scale the picture down."
        case let .corrupt(source, reason):
            return "\(source) is damaged or truncated (libpng: \(reason)). Save or download the picture again."
        case let .invalidPixels(reason):
            return "Cannot encode PNG: \(reason)."
        case let .writeFailed(path, reason):
            return "Cannot write PNG \(path): \(reason). Check that the folder exists and is writable."
        }
    }
}
