import NumeralVision

/// Which device a pointer event came from. Each touch finger is its own source, so the
/// reducer can let only the first finger draw.
public enum PointerSource: Hashable, Sendable {
    case mouse
    case touch(finger: Int64)
}

public enum PointerPhase: Equatable, Sendable {
    case down
    case move
    case up
    /// The system took the pointer away (touch cancelled, window lost focus mid-stroke).
    case cancel
}

/// A pointer sample in window points. `time` is monotonic seconds; `pressure` 0...1 only
/// when the device reports it.
public struct PointerEvent: Equatable, Sendable {
    public var phase: PointerPhase
    public var source: PointerSource
    public var position: UIPoint
    public var pressure: Double?
    public var time: Double

    public init(_ phase: PointerPhase, _ source: PointerSource, at position: UIPoint,
                pressure: Double? = nil, time: Double) {
        self.phase = phase
        self.source = source
        self.position = position
        self.pressure = pressure
        self.time = time
    }
}

public enum Key: Equatable, Sendable {
    case enter
    /// The space bar (Capture in the camera view).
    case space
    case backspace
    case delete
    case escape
    case f11
    case f12
    case digit(Int)
    /// A lowercase ASCII letter.
    case letter(Character)
}

/// A key press with the clock readings the reducer may need: monotonic `time` for debouncing,
/// local wall-clock `stamp` for naming screenshots.
public struct KeyPress: Equatable, Sendable {
    public var key: Key
    public var ctrl: Bool
    public var time: Double
    public var stamp: LocalTimestamp

    public init(_ key: Key, ctrl: Bool = false, time: Double, stamp: LocalTimestamp) {
        self.key = key
        self.ctrl = ctrl
        self.time = time
        self.stamp = stamp
    }
}

public enum RecognitionOutcome: Equatable, Sendable {
    case success(Recognition)
    case failure(String)
}

public enum FileRecognitionOutcome: Equatable, Sendable {
    /// `unsure`: the picture reader marked the reading as below its calibrated confidence.
    case success(Recognition, picture: GrayImage, unsure: Bool = false)
    case failure(String)
}

public enum ExplanationOutcome: Equatable, Sendable {
    case success([ExplanationDisplay])
    case failure(String)
}

/// What the log did with a write.
public enum LogOutcome: Equatable, Sendable {
    /// In the database, as the row with this id.
    case logged(id: Int64)
    /// Kept on disk in the durable spool (the log is locked or away) and written later.
    case kept(String)
    /// Neither written nor kept.
    case failed(String)
}

/// Everything that can happen to the window: user input from the SDL layer, the clock, and
/// replies from background work (recognition, logging, screenshots).
public enum AppEvent: Equatable, Sendable {
    case pointer(PointerEvent)
    /// The mouse left the window; nothing is hovered any more.
    case pointerLeft
    case key(KeyPress)
    /// A command from somewhere other than a key or a button (the kiosk's admin menu).
    case command(AppCommand, time: Double)
    case resized(width: Double, height: Double)
    case tick(time: Double)
    case fileDropped(path: String)
    case recognitionFinished(revision: Int, outcome: RecognitionOutcome)
    case fileRecognitionFinished(path: String, revision: Int, outcome: FileRecognitionOutcome)
    /// The log's reply for the record `serial` (one record per drawing).
    case predictionLogged(serial: Int, outcome: LogOutcome)
    /// The background queue explained the digits of the prediction shown at `revision`.
    case explanationFinished(revision: Int, outcome: ExplanationOutcome)
    case feedbackLogged(serial: Int, actual: String, outcome: LogOutcome)
    case screenshotSaved(path: String, error: String?)
    case quitRequested
    /// Kiosk idle timeout: clear everything and show the start screen for the next visitor.
    case startOver
    /// The model watcher switched to the model that became active (`error` nil), or could not load it.
    case modelChanged(id: String, error: String?)
}

/// Work the reducer asks the SDL layer to do. Replies come back as `AppEvent`s.
public enum AppEffect: Equatable, Sendable {
    /// Recognizes the drawing with the models of `classes`.
    case recognize(Drawing, revision: Int, classes: CharacterClasses = .digits)
    case recognizeFile(path: String, revision: Int)
    /// Explain each digit's model input (on the recognition queue, never the UI thread).
    case explain([GrayImage], revision: Int)
    /// Writes the record `serial` of this session: created at a drawing's first prediction,
    /// then updated as strokes are added or undone, until the drawing is closed.
    case logPrediction(Recognition, inputType: InputType, drawing: Drawing?, serial: Int)
    /// Attaches feedback to the record `serial`; the log keeps the order of a record's writes.
    case logFeedback(actual: String, serial: Int)
    case saveScreenshot(path: String)
    case toggleFullscreen
    case openDashboard
    /// The camera view (V, or the Camera button).
    case openCamera
    case quit
}
