import Foundation
import NumeralApp
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
    static func make(modelPath: String?, dataDirectory: String?, mnistDirectory: String) -> (AppServices, ModelRecognitionService?) {
        var services = AppServices(screenshotWriter: ClosureScreenshotWriter { try PNGCodec.writeRGBA(path: $0, width: $1, height: $2, rgba: $3) })
        let directory = dataDirectory ?? PredictionStore.defaultDirectory()
        var registry: ModelRegistry?
        do {
            let store = try PredictionStore(directory: directory)
            services.logger = StorePredictionLog(store: store)
            registry = try ModelRegistry(dataDirectory: directory, store: store)
            services.improver = RegistryImprover(dataDirectory: directory, mnistDirectory: mnistDirectory)
        } catch {
            services.loggerProblem = "\(error)"
        }
        var service: ModelRecognitionService?
        // The window recognizes one small drawing at a time: OpenBLAS's own worker threads would
        // only spin in sched_yield between the tiny matrix products, taking a core from the UI
        // thread (half the app's CPU time on 2 cores, and slower frames).
        EngineThreads.configure()
        do {
            let path = try ModelLocator(explicitPath: modelPath, activeModelPath: activeModelPath(registry, modelPath)).locate()
            let loaded = ModelRecognitionService(recognizer: Recognizer(model: try DigitModel.load(weightsPath: path)))
            service = loaded
            services.recognizer = loaded
            services.explainer = loaded
            if modelPath == nil, let registry {
                services.modelWatcher = ActiveModelWatcher(registry: registry, service: loaded)
            }
        } catch {
            services.recognizerProblem = "\(error)"
        }
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
