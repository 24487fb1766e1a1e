/// Everything that can happen to the camera view: input from the window, and replies from the
/// background work (cameras found, frames, readings, the log).
public enum CameraEvent: Equatable, Sendable {
    /// Open the view on a source, or on the configured one (nil), or find the cameras.
    case open(CameraSource?)
    /// Leave the view (back to the drawing view); the camera is released.
    case close
    case key(KeyPress)
    case pointer(PointerEvent)
    case pointerLeft
    case resized(width: Double, height: Double)
    /// The cameras the system offers.
    case devicesFound([CameraDevice])
    /// The source of `stream` opened.
    case streamStarted(stream: Int)
    /// A new frame for the preview.
    case frameArrived(stream: Int, CameraFrame)
    /// A frame was read (boxes and readings).
    case frameRead(stream: Int, CameraFrame, CameraReading)
    /// A frame could not be read (no model, for instance).
    case frameFailed(stream: Int, String)
    /// The source ended or failed.
    case streamStopped(stream: Int, CameraStop)
    case predictionLogged(serial: Int, outcome: LogOutcome)
    case feedbackLogged(serial: Int, actual: String, outcome: LogOutcome)
    case screenshotSaved(path: String, error: String?)
}

/// Work the camera view asks for. Replies come back as `CameraEvent`s.
public enum CameraEffect: Equatable, Sendable {
    /// List `/dev/video*` (reply: `devicesFound`).
    case findDevices
    /// Open a source and read it off the UI thread until stopped: each frame to the preview
    /// (one waiting at a time), the newest to the reader (frames that arrive while it reads
    /// are dropped, never queued).
    case start(CameraSource, stream: Int)
    case stop(stream: Int)
    /// Frames read into boxes and readings, or not (while a frame is frozen).
    case setReading(stream: Int, enabled: Bool)
    /// The preview took its frame: the next one may come.
    case frameShown(stream: Int)
    /// Logs a capture as input type `camera`, as record `serial` of the camera view.
    case logPrediction(Recognition, serial: Int)
    case logFeedback(actual: String, serial: Int)
    /// Back to the drawing view.
    case closeView
    case saveScreenshot(path: String)
    case toggleFullscreen
    case quit
}
