import Foundation
import NumeralSession
import NumeralStore

/// Everything `numeral serve` can be told: where to listen, where the log and models live,
/// and the limits that keep one client from hurting the others.
public struct ServerSettings: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (tests); the bound port is reported by `NumeralHTTPServer.onListening`.
    public var port: Int = 8080
    /// Holds numeral.sqlite, the model versions and the token file.
    public var dataDirectory: String
    /// The log: nil for numeral.sqlite in `dataDirectory`, or a shared PostgreSQL log that
    /// several servers and kiosks write to (the data directory then keeps the local spool,
    /// the model files and the tokens).
    public var log: LogLocation?
    /// The bearer tokens: nil for `server-tokens.json` in `dataDirectory`, or a token file the
    /// server only reads (`--tokens-file`, e.g. a Kubernetes Secret mounted into every replica,
    /// so all servers of a fleet accept the same tokens). It must exist and be a token list.
    public var tokensFile: String?
    /// Where predictions are logged and read.
    public var logLocation: LogLocation { log ?? .sqlite(directory: dataDirectory) }
    /// Seconds between checks of the log's active model (another instance may switch it).
    public var modelCheckInterval: Double = 2
    /// The model to serve at start; nil: the data directory's active model, else the shipped one.
    public var modelPath: String?
    /// Where improve finds MNIST (to check a candidate does not get worse).
    public var mnistDirectory: String
    /// The device name logged with every prediction.
    public var device: String
    /// Largest request body accepted, in bytes; larger ones get 413.
    public var maxBodyBytes: Int = 4 * 1024 * 1024
    /// Seconds a request may take before it is answered 503 (inference included).
    public var requestTimeout: Double = 10
    /// Seconds an idle keep-alive connection is kept open.
    public var idleTimeout: Double = 30
    /// Recognitions run at the same time (one model copy each) on background threads.
    public var workers: Int = 2
    /// Recognitions waiting for a worker beyond which new ones are answered 503.
    public var maxQueuedRecognitions: Int = 64
    /// Most log writes (of concurrent requests) one transaction carries; 1 commits each alone.
    public var logBatch: Int = 512
    /// Sustained requests per second per client, and the burst it may spend at once.
    public var ratePerSecond: Double = 20
    public var rateBurst: Double = 40
    /// Peers allowed to name the client in X-Forwarded-For (a load balancer); none by default.
    public var trustedProxies: [AddressRange] = []
    /// Answered with Access-Control-Allow-Origin; nil: no CORS headers at all.
    public var corsOrigin: String?
    public var drawingLimits = DrawingLimits()

    public init(dataDirectory: String, mnistDirectory: String, device: String) {
        self.dataDirectory = dataDirectory
        self.mnistDirectory = mnistDirectory
        self.device = device
    }
}
