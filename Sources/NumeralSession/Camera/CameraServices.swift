import NumeralCapture
import NumeralUI

/// What the camera view talks to. The reader and the log are optional so the view still opens
/// (and says what is missing) without a model or a log.
public struct CameraServices {
    public var reader: CameraFrameReading?
    public var readerProblem: String
    /// The camera view's own log (records numbered apart from the drawing view's).
    public var logger: PredictionLogging?
    public var loggerProblem: String
    /// The cameras the system offers; `/dev/video*` by default.
    public var listDevices: @Sendable () -> [CameraDevice]
    /// Seconds a source may take to open, and to send each frame, before it counts as failed.
    public var startTimeout: Double
    public var frameTimeout: Double

    public init(reader: CameraFrameReading? = nil, readerProblem: String = "no model is loaded",
                logger: PredictionLogging? = nil, loggerProblem: String = "no prediction log is configured",
                listDevices: @escaping @Sendable () -> [CameraDevice] = CameraServices.systemDevices,
                startTimeout: Double = 10, frameTimeout: Double = 5) {
        self.reader = reader
        self.readerProblem = readerProblem
        self.logger = logger
        self.loggerProblem = loggerProblem
        self.listDevices = listDevices
        self.startTimeout = startTimeout
        self.frameTimeout = frameTimeout
    }

    @Sendable public static func systemDevices() -> [CameraDevice] {
        VideoDevice.list().map { CameraDevice(path: $0.path, name: $0.name) }
    }
}
