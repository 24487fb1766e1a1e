import ArgumentParser
import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralStore

/// Where the MNIST files are: --data, then $NUMERAL_MNIST, then Data/mnist.
struct MNISTOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Folder with the four MNIST IDX files (plain or .gz). Default: $NUMERAL_MNIST, else the data directory's mnist folder (where `numeral data fetch` puts them), else ./Data/mnist if it has them.")
    var directory: String?

    var resolved: String { directory ?? Self.defaultDirectory }

    /// $NUMERAL_MNIST, else `<data directory>/mnist` (where `numeral data fetch` puts the
    /// files), else a checkout's `Data/mnist` when that one has them: also where the
    /// dashboard's "Improve model" looks. MNIST belongs to the data directory, not to
    /// whatever folder the app was started from.
    static var defaultDirectory: String {
        if let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"], !env.isEmpty { return env }
        let inDataDirectory = (PredictionStore.defaultDirectory() as NSString).appendingPathComponent("mnist")
        func hasMNIST(_ directory: String) -> Bool {
            ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].contains {
                FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0))
            }
        }
        if !hasMNIST(inDataDirectory), hasMNIST("Data/mnist") { return "Data/mnist" }
        return inDataDirectory
    }
}

struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: "Model weights (.safetensors; the .json card must sit beside it). Default: the active or shipped model.")
    var path: String?
    @Option(help: "Characters to read: \(CharacterClasses.choices) (the shipped letters-cnn / alphanumeric-cnn models and their pen models). A model that reads another set is refused.")
    var classes: CharacterClasses?

    func locate() throws -> String {
        try locator().locate()
    }

    /// --model, else $NUMERAL_MODEL, else the active model of the default data directory (what
    /// `numeral model use` and `numeral improve` chose), else the shipped model.
    func locator(defaultClasses: CharacterClasses = .digits) -> ModelLocator {
        let classes = self.classes ?? defaultClasses
        var locator = ModelLocator(explicitPath: path, activeModelPath: path == nil && classes == .digits ? Self.activeModelPath() : nil)
        locator.classes = classes
        return locator
    }

    /// Read-only and side-effect free: a missing, locked or old log just means "no active model".
    static func activeModelPath(dataDirectory: String = PredictionStore.defaultDirectory()) -> String? {
        guard let store = try? PredictionStore(directory: dataDirectory, access: .readOnly),
              let active = try? store.activeModel() else { return nil }
        let registry = try? ModelRegistry(dataDirectory: dataDirectory, store: store)
        // Where the registry keeps it, if the recorded path moved with a restored data directory.
        return [active.path, registry?.weightsPath(forID: active.id)].compactMap { $0 }
            .first { !$0.isEmpty && FileManager.default.fileExists(atPath: $0) }
    }
}

/// Prints a message for the user and exits with status 1, instead of a stack trace.
struct UserFacingError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

func failWithMessage(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("numeral: \(error)\n".utf8))
    return ExitCode.failure
}
