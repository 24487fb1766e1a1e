/// What the camera view reads: a V4L2 camera, or a recording (a video file, a URI or an image
/// sequence such as `frames/%04d.jpg`) standing in for one.
public enum CameraSource: Equatable, Sendable, CustomStringConvertible {
    case device(String)
    case recording(String)

    public var description: String {
        switch self {
        case .device(let path): return "camera \(path)"
        case .recording(let location): return location.split(separator: "/").last.map(String.init) ?? location
        }
    }
}

/// A camera the system offers (`/dev/videoN`), with the name its driver gives, if any.
public struct CameraDevice: Equatable, Sendable {
    public var path: String
    public var name: String?

    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name
    }

    public var label: String { name.map { "\($0) (\(path))" } ?? path }
}

/// Why a stream stopped.
public enum CameraStop: Equatable, Sendable {
    /// The source ended: a recording is over, or a camera stopped sending (unplugged).
    case ended
    /// It could not be opened or failed while running; the message says what to do.
    case failed(String)
}
