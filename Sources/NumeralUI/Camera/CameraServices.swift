/// Reads one camera frame: the photo reader finds the digits and the model reads each.
/// Called on a background queue, never on the UI thread.
public protocol CameraFrameReading: Sendable {
    func read(_ frame: CameraFrame) throws -> CameraReading
}
