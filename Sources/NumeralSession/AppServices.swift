import NumeralUI

/// Writes a screenshot. The app is wired with NumeralVision's PNG encoder
/// (`PNGCodec.writeRGBA`) by whoever builds `AppServices`.
public protocol ScreenshotWriter: Sendable {
    func writePNG(path: String, width: Int, height: Int, rgba: [UInt8]) throws
}

/// A ScreenshotWriter from a closure, e.g. `ClosureScreenshotWriter(PNGCodec.writeRGBA)`.
public struct ClosureScreenshotWriter: ScreenshotWriter {
    private let write: @Sendable (String, Int, Int, [UInt8]) throws -> Void
    public init(_ write: @escaping @Sendable (_ path: String, _ width: Int, _ height: Int, _ rgba: [UInt8]) throws -> Void) {
        self.write = write
    }
    public func writePNG(path: String, width: Int, height: Int, rgba: [UInt8]) throws {
        try write(path, width, height, rgba)
    }
}

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
    /// Called on the UI thread for D / the Dashboard button.
    public var openDashboard: (() -> Void)?
    /// Called on the UI thread for V / the Camera button.
    public var openCamera: (() -> Void)?
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
                screenshotWriter: ScreenshotWriter? = nil,
                openDashboard: (() -> Void)? = nil) {
        self.recognizer = recognizer
        self.recognizerProblem = recognizerProblem
        self.logger = logger
        self.loggerProblem = loggerProblem
        self.screenshotWriter = screenshotWriter
        self.openDashboard = openDashboard
    }
}
