import ArgumentParser
import Foundation
import NumeralRecognition

/// Where the MNIST files are: --data, then $NUMERAL_MNIST, then Data/mnist.
struct MNISTOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Folder with the four MNIST IDX files (plain or .gz). Default: $NUMERAL_MNIST or Data/mnist.")
    var directory: String?

    var resolved: String {
        if let directory { return directory }
        if let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"], !env.isEmpty { return env }
        return "Data/mnist"
    }
}

struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: "Model weights (.safetensors; the .json card must sit beside it). Default: the active or shipped model.")
    var path: String?

    func locate() throws -> String {
        try ModelLocator(explicitPath: path).locate()
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
