/// When the next frame may be drawn, at most `interval` apart on average.
///
/// Frames are scheduled on a fixed cadence rather than `interval` after the previous frame
/// ended: the loop's waits are whole milliseconds and a frame takes time to draw, so "end +
/// 16.7 ms" drifted to one frame every ~19 ms (≈ 50 fps while drawing). A frame that starts a
/// little late does not push every later one back; after a pause the cadence starts afresh.
public struct FramePacer {
    public let interval: Double
    /// The earliest time the next frame may start.
    public private(set) var nextFrame = 0.0

    public init(interval: Double) { self.interval = interval }

    public func isDue(at now: Double) -> Bool { now >= nextFrame }

    /// Records a paced frame that started at `now`.
    public mutating func frameStarted(at now: Double) {
        let onSchedule = now - nextFrame < interval
        nextFrame = onSchedule ? nextFrame + interval : now + interval
    }

    /// Lets the next frame start at once (results the user waits for are not paced).
    public mutating func allowFrameNow() { nextFrame = 0 }
}
