import Foundation
import NumeralStore

/// Where the pen digits file is found when none is given.
enum PenDigitsLocation {
    /// Where `resolve` looks when no file is given, in order, for messages.
    static var searched: [String] {
        ["$NUMERAL_PENDIGITS" + (ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"].map { " (\($0))" } ?? " (not set)"),
         "Data/pendigits/pendigits-orig-train.json in the current directory",
         (PredictionStore.defaultDirectory() as NSString).appendingPathComponent("pendigits/pendigits-orig-train.json")]
    }

    static func resolve(_ explicit: String?) -> String? {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"], FileManager.default.fileExists(atPath: env) { return env }
        let local = "Data/pendigits/pendigits-orig-train.json"
        if FileManager.default.fileExists(atPath: local) { return local }
        let inDataDirectory = (PredictionStore.defaultDirectory() as NSString).appendingPathComponent("pendigits/pendigits-orig-train.json")
        return FileManager.default.fileExists(atPath: inDataDirectory) ? inDataDirectory : nil
    }
}
