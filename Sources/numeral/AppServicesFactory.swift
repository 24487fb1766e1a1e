import Foundation
import NumeralApp
import NumeralEngine
import NumeralRecognition
import NumeralStore
import NumeralVision

/// Wires the window to the real model, log and PNG writer. Each part that fails leaves a message
/// the window shows instead of a crash: no model means no predictions, no log means predictions
/// that are not recorded.
enum AppServicesFactory {
    static func make(modelPath: String?, dataDirectory: String?) -> (AppServices, ModelRecognitionService?) {
        var services = AppServices(screenshotWriter: ClosureScreenshotWriter(PNGCodec.writeRGBA))
        let directory = dataDirectory ?? PredictionStore.defaultDirectory()
        var store: PredictionStore?
        do {
            store = try PredictionStore(directory: directory)
            services.logger = StorePredictionLog(store: store!)
        } catch {
            services.loggerProblem = "\(error)"
        }
        var service: ModelRecognitionService?
        // The window recognizes one small drawing at a time: OpenBLAS's own worker threads would
        // only spin in sched_yield between the tiny matrix products, taking a core from the UI
        // thread (half the app's CPU time on 2 cores, and slower frames).
        EngineThreads.configure()
        do {
            let path = try ModelLocator(explicitPath: modelPath, activeModelPath: activeModelPath(store, modelPath)).locate()
            service = ModelRecognitionService(recognizer: Recognizer(model: try DigitModel.load(weightsPath: path)))
            services.recognizer = service
        } catch {
            services.recognizerProblem = "\(error)"
        }
        return (services, service)
    }

    /// The model `numeral model use` or `numeral improve` made active, unless --model overrides it.
    private static func activeModelPath(_ store: PredictionStore?, _ explicit: String?) -> String? {
        guard explicit == nil, let active = try? store?.activeModel() else { return nil }
        return FileManager.default.fileExists(atPath: active.path) ? active.path : nil
    }
}
