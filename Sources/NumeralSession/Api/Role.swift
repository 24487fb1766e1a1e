/// What a bearer token lets its holder do beyond drawing and predicting (which anyone may).
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    /// Sees stats and the dashboard.
    case viewer
    /// Also exports the log, switches models and runs improve.
    case admin

    public static func < (a: Role, b: Role) -> Bool { a == .viewer && b == .admin }
}
