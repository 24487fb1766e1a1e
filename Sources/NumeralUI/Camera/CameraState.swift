/// Tunables of the camera view.
public struct CameraSettings: Equatable, Sendable {
    /// A reading is steady once this many frames in a row agree on it.
    public var steadyFrames = 5
    public init() {}
}

/// Where the camera view stands with its source.
public enum CameraPhase: Equatable, Sendable {
    /// The view is not open; no camera is in use.
    case closed
    /// Looking for cameras (`/dev/video*`).
    case findingDevices
    /// Several cameras: the user picks one.
    case choosing([CameraDevice])
    /// Opening the source; no frame yet.
    case starting(CameraSource)
    /// Frames arrive.
    case live(CameraSource)
    /// No camera, or it could not be opened, or it stopped (unplugged, busy, a recording that
    /// ended): the message says which and what to do.
    case stopped(CameraSource?, message: String)
}

/// A frame frozen by Capture: its reading, shown in the result panels, logged as `camera`, and
/// the user's feedback on it.
public struct CameraCapture: Equatable, Sendable {
    public var frame: CameraFrame
    public var reading: CameraReading
    /// The log record, when there were digits to log.
    public var serial: Int?
    public var log: PredictionLogState?
    public var feedback: FeedbackState = .none
    /// Which digit the inset, top three and chart describe (and a digit key corrects).
    public var selectedDigit = 0

    public init(frame: CameraFrame, reading: CameraReading, serial: Int?) {
        self.frame = frame
        self.reading = reading
        self.serial = serial
        self.log = serial == nil ? nil : .pending
    }
}

/// Everything the camera view shows, as a plain value. Changed only by `reduceCamera`.
public struct CameraState: Equatable, Sendable {
    public var settings: CameraSettings
    public var layout: CameraLayout
    public var phase: CameraPhase = .closed
    /// What `numeral app --camera DEVICE` or `--camera-source` chose; nil = find the cameras.
    public var configuredSource: CameraSource?
    /// The cameras found last time.
    public var devices: [CameraDevice] = []
    /// Bumped for every source opened; replies from an older stream are ignored.
    public var stream = 0
    /// The newest frame (the live preview).
    public var frame: CameraFrame?
    /// The newest reading and the frame it was made from (it lags the preview by a frame or two).
    public var reading: CameraReading?
    public var readFrame: CameraFrame?
    public var steady = SteadyReading()
    /// Set while a frame is frozen.
    public var capture: CameraCapture?
    /// Frames shown and frames read in this stream (frames a busy reader skipped are not read).
    public var framesShown = 0
    public var framesRead = 0
    public var message: StatusMessage?
    /// Why frames cannot be read (no model), shown until a frame is read again.
    public var readingProblem: String?
    /// Why the log is not working, shown until a later prediction logs fine.
    public var loggingProblem: String?
    public var nextSerial = 1
    public var activePointer: PointerSource?
    public var pressedButton: CameraButton?
    public var hoveredButton: CameraButton?

    public init(width: Double = Layout.defaultSize.width, height: Double = Layout.defaultSize.height,
                source: CameraSource? = nil, settings: CameraSettings = CameraSettings()) {
        self.settings = settings
        self.layout = CameraLayout(width: width, height: height)
        self.configuredSource = source
    }

    public var isOpen: Bool { phase != .closed }

    /// The source being read or last tried.
    public var source: CameraSource? {
        switch phase {
        case .starting(let s), .live(let s): return s
        case .stopped(let s, _): return s
        case .closed, .findingDevices, .choosing: return nil
        }
    }

    public var isLive: Bool { if case .live = phase { return true } else { return false } }

    /// The digit the result panels describe while a frame is frozen.
    public var selectedDigitPrediction: DigitPrediction? {
        guard let capture, !capture.reading.digits.isEmpty else { return nil }
        let digits = capture.reading.digits
        return digits[min(max(capture.selectedDigit, 0), digits.count - 1)]
    }

    /// Whether a control is on screen (and so can be clicked) in this state.
    public func shows(_ button: CameraButton) -> Bool {
        switch button {
        case .back, .capture, .retry, .devices: return true
        case .correct, .digit: return capture != nil
        case .device(let i):
            if capture == nil, case .choosing(let list) = phase { return i < min(list.count, CameraLayout.maximumDevices) }
            return false
        }
    }

    /// Whether a control can be used now (drawn dimmed otherwise).
    public func enables(_ button: CameraButton) -> Bool {
        switch button {
        case .capture: return capture != nil || readFrame != nil
        case .correct, .digit: return capture?.serial != nil
        default: return shows(button)
        }
    }
}
