import NumeralUI

/// `numeral app --camera [DEVICE]` or `--camera-source FILE`: open on the camera view.
public struct CameraStartup: Equatable {
    /// The camera or recording to read; nil: find the cameras (and ask when there are several).
    public var source: CameraSource?
    /// With a screenshot: press Capture on the steady reading before saving the window.
    public var capture = false
    /// With a screenshot: give up waiting for a steady reading after this many seconds.
    public var timeout: Double = 30

    public init(source: CameraSource?, capture: Bool = false) {
        self.source = source
        self.capture = capture
    }
}
