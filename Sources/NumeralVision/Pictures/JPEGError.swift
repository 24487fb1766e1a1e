/// Why a JPEG could not be read or written. Messages say which file and what to do.
public enum JPEGError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty(source: String)
    case notJPEG(source: String)
    case tooLarge(source: String, width: Int, height: Int)
    case corrupt(source: String, reason: String)
    case invalidPixels(reason: String)
    case encodeFailed(reason: String)

    public var description: String {
        switch self {
        case let .empty(source):
            return "\(source) is empty (0 bytes); save the picture again."
        case let .notJPEG(source):
            return "\(source) is not a JPEG file (it does not start with FF D8 FF). Save it as JPEG or PNG."
        case let .tooLarge(source, width, height):
            return "\(source) is \(width)x\(height) pixels; pictures larger than \(PNGError.maxSide)x\(PNGError.maxSide) "
                + "or \(PNGError.maxPixels / 1_000_000) megapixels are refused. Crop or scale the picture down."
        case let .corrupt(source, reason):
            return "\(source) is damaged or truncated (libjpeg-turbo: \(reason)). Save or download the picture again."
        case let .invalidPixels(reason):
            return "Cannot encode JPEG: \(reason)."
        case let .encodeFailed(reason):
            return "libjpeg-turbo could not encode the JPEG: \(reason)."
        }
    }
}
