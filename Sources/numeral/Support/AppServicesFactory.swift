import Foundation
import NumeralSession
import NumeralEngine
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralVision

/// Wires the window to the real model, log, model registry and PNG writer. Each part that fails
/// leaves a message the window shows instead of a crash: no model means no predictions, no log
/// means predictions that are not recorded (and no improving).
enum AppServicesFactory {
    /// - Parameters:
    ///   - modelPath: --model; pins that model (no switching to the active one while running).
    ///   - mnistDirectory: the MNIST files the dashboard's "Improve model" replays and checks against.
    static func make(modelPath: String?, dataDirectory: String?, logLocation: LogLocation? = nil, mnistDirectory: String,
                     device: String = DeviceName.resolve()) -> (AppServices, ModelRecognitionService?) {
        var services = AppServices(screenshotWriter: ClosureScreenshotWriter { try PNGCodec.writeRGBA(path: $0, width: $1, height: $2, rgba: $3) })
        let directory = dataDirectory ?? PredictionStore.defaultDirectory()
        let location = logLocation ?? .sqlite(directory: directory)
        var registry: ModelRegistry?
        do {
            // Predictions are never dropped: while the database cannot take a write (another
            // process holds its lock, it cannot even be opened yet) they wait in the durable
            // spool, retried every second and at the next start.
            var log: DurablePredictionLog
            do {
                let store = try PredictionStore(location: location)
                log = DurablePredictionLog(store: store, spoolDirectory: directory)
                registry = try ModelRegistry(dataDirectory: directory, store: store)
                services.improver = RegistryImprover(dataDirectory: directory, location: location, mnistDirectory: mnistDirectory)
            } catch let error as StoreError where error.isTransient {
                // The log is locked or (shared) unreachable: predictions wait in the local spool.
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                log = DurablePredictionLog(location: location, spoolDirectory: directory)
                services.loggerProblem = "\(error)"
            }
            log.startRetrying()
            let logger = StorePredictionLog(log: log, device: device)
            services.logger = logger
            // The camera view's captures: the same log, records numbered apart.
            services.camera.logger = logger.sibling()
        } catch {
            services.loggerProblem = "\(error)"
        }
        var service: ModelRecognitionService?
        // The window recognizes one small drawing at a time: OpenBLAS's own worker threads would
        // only spin in sched_yield between the tiny matrix products, taking a core from the UI
        // thread (half the app's CPU time on 2 cores, and slower frames).
        EngineThreads.configure()
        do {
            let locator = ModelLocator(explicitPath: modelPath, activeModelPath: activeModelPath(registry, modelPath))
            let loaded = ModelRecognitionService(recognizer: try Recognizer.load(weightsPath: try locator.locate(), locator: locator))
            service = loaded
            services.recognizer = loaded
            services.explainer = loaded
            services.camera.reader = loaded
            if modelPath == nil, let registry {
                services.modelWatcher = ActiveModelWatcher(registry: registry, service: loaded)
            }
        } catch {
            services.recognizerProblem = "\(error)"
            services.camera.readerProblem = "\(error)"
        }
        services.camera.loggerProblem = services.loggerProblem
        return (services, service)
    }

    /// The model `numeral model use` or `numeral improve` made active (the shipped model is
    /// registered as the first version on first run), unless --model overrides it. A registry
    /// that cannot say leaves the search to the shipped model.
    private static func activeModelPath(_ registry: ModelRegistry?, _ explicit: String?) -> String? {
        guard explicit == nil else { return nil }
        return try? registry?.activeModelPath()
    }
}
