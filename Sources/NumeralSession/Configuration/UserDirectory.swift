import Foundation

/// Where files the user asks for land when no path is given: the XDG user directories
/// (`XDG_PICTURES_DIR`, `XDG_DOCUMENTS_DIR` from the environment or `user-dirs.dirs`, else
/// ~/Pictures and ~/Documents), in a `Numeral` folder — never the current directory, which for
/// an app started from a menu or a kiosk session is wherever it happened to be.
public enum UserDirectory: String, Sendable {
    /// Screenshots and PNG exports.
    case pictures = "PICTURES"
    /// CSV and PDF exports.
    case documents = "DOCUMENTS"

    /// The folder for this kind of file (created by whoever writes into it, when it does).
    public func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = environment["XDG_\(rawValue)_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.userDirs(home: home, environment: environment)["XDG_\(rawValue)_DIR"]
            ?? (home as NSString).appendingPathComponent(self == .pictures ? "Pictures" : "Documents")
        return (base as NSString).appendingPathComponent("Numeral")
    }

    /// A file name the app made up (`numeral-20261207-1405.png`) placed in this folder; a path
    /// the user gave (anything with a `/`) is kept as it is.
    public func resolve(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        name.contains("/") ? name : (path(environment: environment) as NSString).appendingPathComponent(name)
    }

    /// `user-dirs.dirs` (`XDG_PICTURES_DIR="$HOME/Pictures"` lines), with `$HOME` expanded.
    static func userDirs(home: String, environment: [String: String]) -> [String: String] {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home as NSString).appendingPathComponent(".config")
        guard let text = try? String(contentsOfFile: (config as NSString).appendingPathComponent("user-dirs.dirs"), encoding: .utf8) else {
            return [:]
        }
        var dirs: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).replacingOccurrences(of: "$HOME", with: home)
            if value.hasPrefix("/") { dirs[parts[0]] = value }
        }
        return dirs
    }
}
