public enum KioskError: Error, CustomStringConvertible, Equatable {
    case noPIN(path: String)
    case unreadableConfig(path: String, reason: String)
    case unreadablePIN(path: String, reason: String)
    case cannotWritePIN(path: String, reason: String)

    public var description: String {
        switch self {
        case .noPIN(let path):
            return "Kiosk mode needs an admin PIN: run `numeral kiosk set-pin` first (looked for \(path))."
        case .unreadableConfig(let path, let reason):
            return "The config file \(path) cannot be used: \(reason)."
        case .unreadablePIN(let path, let reason):
            return "The kiosk PIN file \(path) cannot be used: \(reason). Set the PIN again with `numeral kiosk set-pin`."
        case .cannotWritePIN(let path, let reason):
            return "Could not save the kiosk PIN to \(path): \(reason)."
        }
    }
}
