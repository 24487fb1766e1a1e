/// The picture formats the API takes, recognized by their first bytes (never by the
/// Content-Type alone: a client may lie or be wrong).
public enum PictureFormat: String, Sendable {
    case png, jpeg

    public var mediaType: String { self == .png ? "image/png" : "image/jpeg" }

    /// The format the bytes start with, or nil.
    public static func sniff(_ bytes: some Collection<UInt8>) -> PictureFormat? {
        let head = Array(bytes.prefix(8))
        if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        return nil
    }

    /// The format a Content-Type names (parameters ignored), or nil.
    public init?(mediaType: String) {
        switch mediaType.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
        case "image/png": self = .png
        case "image/jpeg", "image/jpg": self = .jpeg
        default: return nil
        }
    }
}
