/// Which rows a read of the log returns, and in which order; the same on every backend.
public enum RecordSelection: Sendable, Equatable {
    /// Every row, oldest first (time, then id).
    case all
    /// Rows with feedback, oldest first.
    case labelled
    /// Rows with ids above this one, in id order: a log read page by page.
    case after(id: Int64)
    /// The one row with this id.
    case id(Int64)
    /// Every row, newest first.
    case newestFirst

    /// The condition in SQL both backends share, or nil for none.
    var condition: String? {
        switch self {
        case .all, .newestFirst: return nil
        case .labelled: return "digit_actual IS NOT NULL"
        case .after(let id): return "id > \(id)"
        case .id(let id): return "id = \(id)"
        }
    }

    var order: String {
        switch self {
        case .all, .labelled: return "timestamp, id"
        case .after, .id: return "id"
        case .newestFirst: return "timestamp DESC, id DESC"
        }
    }
}
