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
    /// Rows whose feedback `actual` differs from their prediction `predicted` (single digits),
    /// newest first: the examples of one confused pair.
    case mistaken(actual: Int, predicted: Int)

    /// The condition in SQL both backends share, or nil for none.
    var condition: String? {
        switch self {
        case .all, .newestFirst: return nil
        case .labelled: return "digit_actual IS NOT NULL"
        case .after(let id): return "id > \(id)"
        case .id(let id): return "id = \(id)"
        case .mistaken(let actual, let predicted): return "digit_actual = '\(actual)' AND digit_predicted = '\(predicted)'"
        }
    }

    var order: String {
        switch self {
        case .all, .labelled: return "timestamp, id"
        case .after, .id: return "id"
        case .newestFirst, .mistaken: return "timestamp DESC, id DESC"
        }
    }
}
