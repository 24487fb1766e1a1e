/// Why frames could not be captured. Messages say what failed and what to try.
public enum CaptureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// GStreamer could not be initialized (missing libraries or plugins).
    case unavailable(reason: String)
    /// The pipeline description does not parse (an unknown element: a plugin is missing).
    case invalidPipeline(description: String, reason: String)
    /// The camera or file could not be opened (no such device, busy, bad URI, not a video).
    case cannotOpen(source: String, reason: String)
    /// A running pipeline reported an error (a camera unplugged, a corrupt file).
    case streamFailed(source: String, reason: String)
    /// No frame arrived in time.
    case timedOut(source: String, seconds: Double)
    /// A frame had a size or format that cannot be used.
    case badFrame(reason: String)

    public var description: String {
        switch self {
        case let .unavailable(reason):
            return "GStreamer is not available: \(reason). Install gstreamer1.0-plugins-base and gstreamer1.0-plugins-good."
        case let .invalidPipeline(description, reason):
            return "Cannot build the capture pipeline \"\(description)\": \(reason). "
                + "A GStreamer plugin may be missing (gstreamer1.0-plugins-good provides v4l2src)."
        case let .cannotOpen(source, reason):
            return "Cannot open \(source): \(reason). Check that the device or file exists, is readable and is not in use."
        case let .streamFailed(source, reason):
            return "Capture from \(source) stopped: \(reason). Check the connection (a camera unplugged?) or the file."
        case let .timedOut(source, seconds):
            return "No frame from \(source) within \(String(format: "%.0f", seconds)) s. "
                + "Check that the camera is connected and not used by another program."
        case let .badFrame(reason):
            return "Unusable frame: \(reason)."
        }
    }
}
