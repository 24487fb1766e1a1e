/// One camera frame as the camera view holds and shows it: 8-bit gray, row-major, no padding
/// (0 = black), numbered in the order the stream delivered it.
public struct CameraFrame: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var gray: [UInt8]
    /// Number of the frame in its stream, from 0; frames dropped by a busy reader are skipped.
    public var index: Int
    /// Seconds since the stream started, when the source says.
    public var time: Double?

    public init(width: Int, height: Int, gray: [UInt8], index: Int, time: Double? = nil) {
        self.width = width
        self.height = height
        self.gray = gray
        self.index = index
        self.time = time
    }
}
