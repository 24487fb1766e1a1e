import Foundation

/// Where frames come from: a V4L2 camera, or any video, picture sequence or URI GStreamer can decode.
public enum CaptureSource: Equatable, Sendable, CustomStringConvertible {
    case device(String)
    /// A file path, a `multifilesrc`-style pattern (`frames/%04d.jpg`), or a URI (`file:///…`, `http://…`).
    case media(String)

    public var description: String {
        switch self {
        case let .device(path): return "camera \(path)"
        case let .media(location): return location
        }
    }

    /// A GStreamer pipeline description ending in the app sink named `sink` that gives gray frames.
    ///
    /// Values are quoted for the parser; `max-buffers=1 drop=true` on the sink keeps only the
    /// newest frame, so a slow reader drops frames instead of queueing them. Files are read as
    /// fast as they decode (`sync=false`); a camera paces itself.
    public var pipelineDescription: String { pipelineDescription(paced: false) }

    /// The same, with a recording `paced`: played at its own frame rate like a camera (the
    /// app's live view), keeping only the newest frame when the reader is slower. A camera
    /// paces itself either way.
    public func pipelineDescription(paced: Bool) -> String {
        let tail = " ! videoconvert ! video/x-raw,format=GRAY8 ! appsink name=sink max-buffers=1"
        let fileSink = paced ? " drop=true sync=true" : " drop=false sync=false"
        switch self {
        case let .device(path):
            return "v4l2src device=\(Self.quoted(path)) ! decodebin\(tail) drop=true sync=false"
        case let .media(location):
            if location.contains("%") {
                // An image sequence: every file is one frame.
                let type = location.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"
                return "multifilesrc location=\(Self.quoted(location)) index=0 caps=\(type),framerate=30/1 ! decodebin"
                    + tail + fileSink
            }
            let uri = location.contains("://") ? location : URL(fileURLWithPath: location).absoluteString
            return "uridecodebin uri=\(Self.quoted(uri))\(tail)" + fileSink
        }
    }

    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
