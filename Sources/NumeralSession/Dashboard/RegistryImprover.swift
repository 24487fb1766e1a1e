import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralUI
import NumeralVision

/// The dashboard's improvement: `numeral improve` with its default settings, run on the log
/// (`location`: the SQLite log of `dataDirectory`, or a shared one) and the model versions it
/// registers, files in `dataDirectory`, replaying the MNIST files in `mnistDirectory`.
public struct RegistryImprover: DashboardImproving {
    public let dataDirectory: String
    public let location: LogLocation
    public let mnistDirectory: String
    public let settings: ImprovementSettings

    public init(dataDirectory: String, location: LogLocation? = nil, mnistDirectory: String,
                settings: ImprovementSettings = ImprovementSettings()) {
        self.dataDirectory = dataDirectory
        self.location = location ?? .sqlite(directory: dataDirectory)
        self.mnistDirectory = mnistDirectory
        self.settings = settings
    }

    public func latestReport() -> ImprovementReport? {
        // Read-only: opening the dashboard must never create a log or register a model.
        guard let store = try? PredictionStore(location: location, access: .readOnly),
              let registry = try? ModelRegistry(dataDirectory: dataDirectory, store: store),
              let versions = try? store.models() else { return nil }
        return versions.reversed().lazy.compactMap { registry.improvementReport(forID: $0.id) }.first
    }

    public func run(progress: @escaping (String, Double) -> Void, shouldCancel: @escaping () -> Bool) -> ImprovementOutcome {
        do {
            let registry = try ModelRegistry(dataDirectory: dataDirectory, store: try PredictionStore(location: location))
            // Refuse for lack of feedback before spending seconds on loading MNIST, like the command.
            _ = try Improver.preflight(registry: registry, settings: settings)
            progress("Loading MNIST", 0)
            let train: MNISTDataset, test: MNISTDataset
            do {
                train = try MNISTDataset.load(directory: mnistDirectory, split: .train)
                test = try MNISTDataset.load(directory: mnistDirectory, split: .test)
            } catch {
                return .failed("Cannot improve: MNIST is needed to check the model does not get worse, and it is not in "
                    + "\(mnistDirectory). Run `numeral data fetch` to put it there (or set NUMERAL_MNIST to a folder that has it). "
                    + "Details: \(error)")
            }
            if shouldCancel() { return .cancelled(ImprovementError.cancelled.description) }
            let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings)
            let report = try improver.run(progress: { progress(Self.phase($0), $0.fraction) }, shouldCancel: shouldCancel)
            return .finished(report)
        } catch ImprovementError.cancelled {
            return .cancelled(ImprovementError.cancelled.description)
        } catch {
            return .failed(String(describing: error))
        }
    }

    /// "Fine-tuning, epoch 2 of 3": the stage as a progress label.
    static func phase(_ p: ImprovementProgress) -> String {
        let stage = p.stage.rawValue.prefix(1).uppercased() + p.stage.rawValue.dropFirst()
        guard let t = p.training else { return stage }
        return "\(stage), epoch \(t.epoch) of \(t.epochs)"
    }
}
