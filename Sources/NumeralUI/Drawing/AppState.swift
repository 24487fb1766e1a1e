import NumeralVision

/// A message in the status bar.
public struct StatusMessage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case info, success, error }
    public var text: String
    public var kind: Kind
    public init(_ text: String, _ kind: Kind) { self.text = text; self.kind = kind }
}

/// Where the log stands for the prediction on screen.
public enum PredictionLogState: Equatable, Sendable {
    case pending
    case logged(id: Int64)
    /// Kept in the durable spool; written when the log takes writes again.
    case kept(String)
    case failed(String)
}

/// Where the user's correction stands for the prediction on screen.
public enum FeedbackState: Equatable, Sendable {
    case none
    case sending(actual: String)
    case recorded(actual: String)
    case failed(actual: String, message: String)
}

extension FeedbackState {
    /// The user answered (whether or not the log has it yet).
    public var isGiven: Bool {
        switch self {
        case .sending, .recorded: return true
        case .none, .failed: return false
        }
    }
}

/// The prediction currently on screen and what became of it.
public struct ShownPrediction: Equatable, Sendable {
    public var display: Recognition
    /// The drawing revision it describes; older than `AppState.revision` means out of date.
    public var revision: Int
    /// The log record it is written to: one per drawing, so a prediction updated by more
    /// strokes keeps its serial; replies from the log find the right prediction by it.
    public var serial: Int
    public var inputType: InputType
    public var log: PredictionLogState
    public var feedback: FeedbackState

    public init(display: Recognition, revision: Int, serial: Int, inputType: InputType,
                log: PredictionLogState, feedback: FeedbackState) {
        self.display = display
        self.revision = revision
        self.serial = serial
        self.inputType = inputType
        self.log = log
        self.feedback = feedback
    }
}

/// Tunables that are not user state.
public struct AppSettings: Equatable, Sendable {
    /// Pause after a stroke ends before predicting. It only needs to absorb a burst of pen-up /
    /// pen-down jitter: a prediction costs under a millisecond, so predicting after every stroke of
    /// a multi-stroke digit is fine, and a short pause keeps stroke-to-prediction under 30 ms.
    public var debounce: Double = 0.012
    /// Brush radius in drawing units at pressure 0.5 (or when no pressure is reported).
    public var brushRadius: Double = 9
    /// Pointer moves closer than this (drawing units) to the last point add nothing visible.
    public var minimumPointSpacing: Double = 0.75
    /// A drawing left alone this long (seconds) is finished: strokes added later start a new
    /// log record.
    public var recordIdleClose: Double = 60
    public init() {}
}

/// Everything the window shows, as a plain value. Changed only by `reduce`.
public struct AppState: Equatable, Sendable {
    public var settings: AppSettings
    public var layout: Layout
    public var theme: ThemeName

    /// Finished strokes, in drawing coordinates.
    public var strokes: [Stroke] = []
    /// The stroke under the pen right now.
    public var currentStroke: Stroke?
    /// The coordinate space of `strokes`: the canvas size when the drawing began.
    public var drawingSize: UISize
    /// Monotonic time of the drawing's first point; stroke point times are relative to it.
    public var drawingStartTime: Double?
    /// The pointer that owns the current gesture (drawing or pressing a button); others are ignored.
    public var activePointer: PointerSource?
    public var pressedButton: ButtonID?
    public var hoveredButton: ButtonID?

    /// Bumped whenever the content to recognize changes.
    public var revision = 0
    /// Bumped whenever strokes are removed or replaced (undo, clear, picture), telling the
    /// renderer it cannot just add to what it has already drawn.
    public var strokeEpoch = 0
    /// A dropped picture shown on the canvas instead of strokes.
    public var picture: GrayImage?
    public var pictureName: String?

    public var prediction: ShownPrediction?
    /// When the debounced live prediction should start (monotonic seconds).
    public var recognitionDueAt: Double?
    /// The revision the background recognizer is working on, if any.
    public var inFlightRevision: Int?
    /// The picture file being read, if any.
    public var fileInFlight: String?
    /// Set when Predict found an empty canvas.
    public var nothingDrawn = false
    /// Which digit of a multi-digit prediction the inset, top three and chart describe.
    public var selectedDigit = 0
    /// The characters the canvas is read as (L switches; `numeral app --classes` starts with one).
    public var classes: CharacterClasses = .digits
    public var message: StatusMessage?
    /// Why the log is not working, shown until a later prediction logs fine.
    public var loggingProblem: String?
    public var nextSerial = 1
    /// The log record of the drawing on the canvas while it is still open (more strokes
    /// update it); nil once Clear, feedback, a new picture or idleness closed it.
    public var openRecord: Int?
    /// Monotonic time of the last edit (stroke end, undo), for measuring edit-to-prediction latency.
    public var lastEditTime: Double?
    public var isQuitting = false
    /// The Explain view (E, or its button) shows in place of the probability chart.
    public var explainVisible = false
    /// Explanations of the prediction on screen, or of the one before while the new ones are computed.
    public var explanation: ShownExplanation?
    /// The prediction serial whose explanations the background queue is computing.
    public var explanationInFlight: Int?

    public init(width: Double = Layout.defaultSize.width, height: Double = Layout.defaultSize.height,
                theme: ThemeName = .light, settings: AppSettings = AppSettings()) {
        self.settings = settings
        self.layout = Layout(width: width, height: height)
        self.theme = theme
        self.drawingSize = layout.canvas.size
    }

    public var canvasMapping: CanvasMapping { CanvasMapping(canvas: layout.canvas, drawingSize: drawingSize) }

    /// The finished strokes as the recognizer and the log receive them.
    public var drawing: Drawing {
        Drawing(strokes: strokes, width: drawingSize.width, height: drawingSize.height)
    }

    public var hasInk: Bool { !strokes.isEmpty || !(currentStroke?.points.isEmpty ?? true) }

    /// True when the prediction on screen describes exactly what is on the canvas.
    public var isPredictionCurrent: Bool { prediction.map { $0.revision == revision } ?? false }

    public var isRecognizing: Bool { inFlightRevision == revision || fileInFlight != nil }

    /// The digit the detail panels describe, if there is a prediction.
    public var selectedDigitPrediction: DigitPrediction? {
        guard let digits = prediction?.display.digits, !digits.isEmpty else { return nil }
        return digits[min(max(selectedDigit, 0), digits.count - 1)]
    }

    /// The explanation of the selected digit, if it explains the prediction on screen.
    public var selectedExplanation: ExplanationDisplay? {
        guard let explanation, explanation.revision == prediction?.revision, !explanation.digits.isEmpty else { return nil }
        return explanation.digits[min(max(selectedDigit, 0), explanation.digits.count - 1)]
    }

    /// Nothing pending: no stroke under the pen, no debounce waiting, no recognition running.
    public var isSettled: Bool {
        currentStroke == nil && recognitionDueAt == nil && !isRecognizing
    }
}
