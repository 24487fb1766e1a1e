import Foundation

/// The name a Numeral process writes into every record it logs, so one shared log can tell a
/// fleet's kiosks and server instances apart: the configured name, else the host name.
public enum DeviceName {
    public static let maximumLength = 64

    /// `configured` when it is a usable name (trimmed, 1...64 printable characters), else the
    /// host name, else "unknown".
    public static func resolve(configured: String? = nil, hostName: String = ProcessInfo.processInfo.hostName) -> String {
        for candidate in [configured, hostName] {
            guard let name = candidate?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty,
                  name.count <= maximumLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { continue }
            return name
        }
        return LogSummary.unknownDevice
    }
}
