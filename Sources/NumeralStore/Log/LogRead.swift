/// What a read of the log returned: the records, and the rows that could not be read back
/// (edited by hand, written by a buggy tool), skipped so that one bad row never blocks
/// stats, export or retraining.
public struct LogRead: Sendable, Equatable {
    public struct SkippedRow: Sendable, Equatable {
        /// The row's id, or -1 when even that is unreadable.
        public var id: Int64
        public var reason: String

        public init(id: Int64, reason: String) {
            self.id = id
            self.reason = reason
        }
    }

    public var records: [PredictionRecord]
    public var skipped: [SkippedRow]

    public init(records: [PredictionRecord] = [], skipped: [SkippedRow] = []) {
        self.records = records
        self.skipped = skipped
    }

    /// One line for the user, or nil when every row was read.
    public var skippedSummary: String? {
        guard !skipped.isEmpty else { return nil }
        let shown = skipped.prefix(5).map { "id \($0.id): \($0.reason)" }.joined(separator: "; ")
        let more = skipped.count > 5 ? " and \(skipped.count - 5) more" : ""
        return "Skipped \(skipped.count) unreadable row(s) in the log (\(shown)\(more)). "
            + "Fix or delete them with the sqlite3 shell; every other row was used."
    }
}
