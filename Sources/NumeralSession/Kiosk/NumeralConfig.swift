import Foundation
import NumeralUI

/// `config.json`: settings people put in a file rather than on the command line, e.g.
/// `{"kiosk": true, "idleTimeoutSeconds": 90, "classes": "letters"}`. Unknown keys are ignored.
public struct NumeralConfig: Codable, Equatable, Sendable {
    public var kiosk: Bool?
    public var idleTimeoutSeconds: Double?
    /// This device's name in the log (a fleet's kiosks share one log); default: the host name.
    public var device: String?
    /// The log: a `postgresql://` URL for a shared one, or a directory (default: the data directory's SQLite log).
    public var log: String?
    /// What the canvas reads at start: "digits", "letters" or "alphanumeric" (a kiosk's admin chooses it here).
    public var classes: String?

    /// The configured character set (checked when the file is read).
    public var characterClasses: CharacterClasses? { classes.flatMap(CharacterClasses.init(rawValue:)) }

    public init(kiosk: Bool? = nil, idleTimeoutSeconds: Double? = nil, device: String? = nil, log: String? = nil) {
        self.log = log
        self.kiosk = kiosk
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.device = device
    }

    public static let idleTimeoutRange = 5.0...86_400.0
}
