/// Why the window could not do something, worded so the user knows what to fix.
public enum AppError: Error, CustomStringConvertible, Equatable {
    case noFont(searched: [String])
    case screenshotWriterMissing
    case replay(String)
    case badArgument(String)
    /// The camera view could not show a reading (`--camera-source … --screenshot`).
    case camera(String)

    public var description: String {
        switch self {
        case .noFont(let searched):
            return "No usable font found (asked fontconfig for DejaVu Sans, then tried \(searched.joined(separator: ", "))). "
                + "Install fonts-dejavu-core."
        case .screenshotWriterMissing:
            return "screenshots are unavailable: this build has no PNG writer configured"
        case .replay(let message):
            return "replay failed: \(message)"
        case .badArgument(let message):
            return message
        case .camera(let message):
            return "camera: \(message)"
        }
    }
}
