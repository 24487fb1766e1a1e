/// One captured frame: 8-bit gray, row-major, no padding, with its time in the stream.
public struct CaptureFrame: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// Luminance, 0 = black.
    public var gray: [UInt8]
    /// Presentation time in seconds since the stream started (nil if the source gives none).
    public var time: Double?
    /// Number of this frame among those pulled from the pipeline, from 0 (frames a camera
    /// dropped while the reader was busy are not counted).
    public var index: Int

    public init(width: Int, height: Int, gray: [UInt8], time: Double?, index: Int) {
        self.width = width
        self.height = height
        self.gray = gray
        self.time = time
        self.index = index
    }
}
