import Foundation
import Hummingbird
import Logging
import NIOCore
import NumeralImprovement
import NumeralRecognition
import NumeralSession
import NumeralStore

/// `numeral serve`: the browser page and the HTTP API over one recognizer pool, the durable
/// log and the model versions of one data directory.
public final class NumeralHTTPServer: Sendable {
    public let settings: ServerSettings
    public let predictions: PredictionService
    public let logs: LogService
    public let improvement: ImprovementRunner
    public let tokens: TokenStore
    public let metrics = ServerMetrics()
    let log: DurablePredictionLog
    let web: WebResources
    /// Keeps the pool on the log's active model when no `--model` was given (nil otherwise).
    let modelWatcher: ActiveModelWatcher?

    /// Loads the model (`settings.modelPath`, else the data directory's active model, else the
    /// shipped one) into `settings.workers` recognizers and opens the log.
    public init(settings: ServerSettings, weightsPath: String) throws {
        self.settings = settings
        // Letters and alphanumeric are served when their shipped models are found.
        var characterModels: [CharacterClasses: String] = [:]
        for classes in [CharacterClasses.letters, .alphanumeric] {
            var locator = ModelLocator()
            locator.classes = classes
            if let path = try? locator.locate() { characterModels[classes] = path }
        }
        let pool = try RecognitionPool(weightsPath: weightsPath, workers: settings.workers, maxQueued: settings.maxQueuedRecognitions,
                                       characterModels: characterModels)
        switch settings.logLocation {
        case .sqlite(let directory): log = try DurablePredictionLog(directory: directory)
        case let shared:
            // The data directory keeps the spool where records wait while the database is away.
            do {
                try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.directoryUnavailable(path: settings.dataDirectory,
                                                      reason: "it cannot be created (\(error.localizedDescription))")
            }
            log = DurablePredictionLog(location: shared, spoolDirectory: settings.dataDirectory)
        }
        predictions = PredictionService(pool: pool, writer: GroupCommitWriter(log: log, maxBatch: settings.logBatch), device: settings.device,
                                        limits: settings.drawingLimits, deadline: settings.requestTimeout)
        logs = LogService(dataDirectory: settings.dataDirectory, location: settings.logLocation, pool: pool)
        improvement = ImprovementRunner(dataDirectory: settings.dataDirectory, location: settings.logLocation,
                                        mnistDirectory: settings.mnistDirectory, pool: pool)
        // Another instance, `numeral model use` or an adopted improvement may change the active
        // model; the same watcher as the window's swaps it into the pool (shared log: every server).
        modelWatcher = settings.modelPath == nil ? Self.watcher(for: pool, settings: settings) : nil
        if let file = settings.tokensFile {
            let store = TokenStore(path: file)
            try store.requireReadable()
            tokens = store
        } else {
            tokens = TokenStore(dataDirectory: settings.dataDirectory)
        }
        web = try WebResources()
        metrics.serving(model: pool.modelID)
    }

    /// The routes and middleware, without a listening socket (tests drive it in process).
    public func router() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        if let origin = settings.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin),
                                                  allowHeaders: [.accept, .authorization, .contentType, .origin],
                                                  allowMethods: [.get, .post, .options]))
        }
        router.add(middleware: ClientAddressMiddleware(trustedProxies: settings.trustedProxies))
        // The rate limit comes before authentication: checking a token is work a flood of bad
        // ones must not get for free.
        router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(rate: settings.ratePerSecond, burst: settings.rateBurst)))
        router.add(middleware: AuthMiddleware(tokens: tokens))
        router.add(middleware: TimeoutMiddleware(seconds: settings.requestTimeout))
        web.register(on: router)
        APIRoutes(predictions: predictions, logs: logs, improvement: improvement, metrics: metrics, web: web,
                  maxBodyBytes: settings.maxBodyBytes).register(on: router)
        return router
    }

    /// The application listening on `settings.host:port`; `onListening` gets the bound port.
    public func application(logger: Logger? = nil,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = logger ?? Logger(label: "numeral.serve")
        if logger.logLevel > .notice || logger.logLevel < .notice { logger.logLevel = .notice }
        log.startRetrying()
        modelWatcher?.start()
        return Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(settings.idleTimeout * 1000)))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// The active-model watcher over the log's registry, opened at its first check (and again
    /// after a failed one); a SQLite log that does not exist yet is not created by watching it.
    private static func watcher(for pool: RecognitionPool, settings: ServerSettings) -> ActiveModelWatcher {
        let (directory, location) = (settings.dataDirectory, settings.logLocation)
        let opened = Locked<ModelRegistry?>(nil)
        let registry: () throws -> ModelRegistry? = {
            try opened.withLock { current in
                if let current { return current }
                if case .sqlite(let d) = location,
                   !FileManager.default.fileExists(atPath: (d as NSString).appendingPathComponent(PredictionStore.fileName)) { return nil }
                current = try LogService.registry(dataDirectory: directory, location: location)
                return current
            }
        }
        return ActiveModelWatcher(service: pool, interval: settings.modelCheckInterval,
                                  activeModelID: { try registry()?.activeModelID() },
                                  loadActiveModel: {
                                      guard let r = try registry() else { throw ImprovementError.noModelAvailable(reason: "the log has no model versions yet") }
                                      return try r.loadActiveModel()
                                  })
    }
}
