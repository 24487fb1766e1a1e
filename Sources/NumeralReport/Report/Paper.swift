/// Page sizes a report can be printed on, in points (1/72 inch).
public enum Paper: String, CaseIterable, Sendable {
    case a4, letter

    public var width: Double { self == .a4 ? 595.276 : 612 }
    public var height: Double { self == .a4 ? 841.890 : 792 }
    /// What people call it.
    public var name: String { self == .a4 ? "A4" : "US Letter" }
}
