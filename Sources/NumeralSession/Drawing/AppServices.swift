import NumeralUI

/// What the window talks to. Everything is optional so the window still opens (and says
/// what is missing) when the model or the log cannot be loaded.
public struct AppServices {
    public var recognizer: DigitRecognizing?
    /// Why there is no recognizer, shown when the user predicts.
    public var recognizerProblem: String
    /// The Explain view's maps; usually the recognizer itself (`ModelRecognitionService`).
    public var explainer: DigitExplaining?
    public var logger: PredictionLogging?
    /// Why there is no log, shown as "logging unavailable: ...".
    public var loggerProblem: String
    public var screenshotWriter: ScreenshotWriter?
    /// What the camera view reads frames with and logs captures to.
    public var camera = CameraServices()
    /// What the dashboard's "Improve model" button runs; nil leaves the button explaining why it cannot.
    public var improver: DashboardImproving?
    /// Swaps in the model that becomes active while the window is open; nil when --model pinned one.
    public var modelWatcher: ActiveModelWatcher?

    public init(recognizer: DigitRecognizing? = nil,
                recognizerProblem: String = "no model is loaded",
                logger: PredictionLogging? = nil,
                loggerProblem: String = "no prediction log is configured",
                screenshotWriter: ScreenshotWriter? = nil) {
        self.recognizer = recognizer
        self.recognizerProblem = recognizerProblem
        self.logger = logger
        self.loggerProblem = loggerProblem
        self.screenshotWriter = screenshotWriter
    }
}
