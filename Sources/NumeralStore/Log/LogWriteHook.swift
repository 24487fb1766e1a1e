/// Work that must commit in the same transaction as the records it follows from: the place
/// where roll-up tables (counts per day, device and outcome, kept up to date with every write
/// instead of recomputed per read) join the record-insert transaction on both backends.
///
/// A backend's `commit(_:hook:)` runs `statements(after:dialect:)` inside the transaction
/// that wrote the entries, after them; if one fails, the whole batch rolls back with it, so a
/// roll-up can never disagree with the records.
public protocol LogWriteHook: Sendable {
    /// SQL statements (no parameters) for the backend whose dialect is `dialect`, run after
    /// `entries` in their transaction.
    func statements(after entries: [SpoolEntry], dialect: AnalyticsDialect.Backend) -> [String]
}
