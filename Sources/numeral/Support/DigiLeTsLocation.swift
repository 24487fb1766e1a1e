import Foundation
import NumeralStore

/// Where the DigiLeTs characters (digits and letters as pen trajectories) are found when no
/// folder is given: `$NUMERAL_DIGILETS`, `Data/digilets` here, or `digilets` in the data directory.
enum DigiLeTsLocation {
    static var searched: [String] {
        ["$NUMERAL_DIGILETS" + (ProcessInfo.processInfo.environment["NUMERAL_DIGILETS"].map { " (\($0))" } ?? " (not set)"),
         "Data/digilets in the current directory",
         (PredictionStore.defaultDirectory() as NSString).appendingPathComponent("digilets")]
    }

    static func resolve(_ explicit: String?) -> String? {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["NUMERAL_DIGILETS"], FileManager.default.fileExists(atPath: env) { return env }
        if FileManager.default.fileExists(atPath: "Data/digilets") { return "Data/digilets" }
        let inDataDirectory = (PredictionStore.defaultDirectory() as NSString).appendingPathComponent("digilets")
        return FileManager.default.fileExists(atPath: inDataDirectory) ? inDataDirectory : nil
    }
}
