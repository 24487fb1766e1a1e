import Foundation

extension PredictionLog {
    /// Every record `filter` selects, oldest first (time, then id), handed to `body` a page of
    /// about `pageSize` at a time, so memory stays that of one page however long the log is
    /// (the API's CSV export). Each page starts after the last record of the one before, by
    /// time and id; records written meanwhile at later times are included, earlier ones not.
    /// Rows that cannot be read are left out, as `read` leaves them out.
    public func forEachPage(filter: LogFilter, pageSize: Int = 2_000, includePayload: Bool = true,
                            _ body: ([PredictionRecord]) async throws -> Void) async throws {
        let pageSize = max(1, pageSize)
        var cursor: (time: Date, id: Int64)?
        var limit = pageSize
        while true {
            var pageFilter = filter
            if let cursor {
                // Stored times are whole milliseconds: half a millisecond before the cursor
                // selects its own millisecond, whatever the rounding of the bound.
                pageFilter.from = cursor.time.addingTimeInterval(-0.0005)
            }
            let read = try await read(.all, filter: pageFilter, limit: limit, includePayload: includePayload)
            // Rows that cannot be read count toward the limit: a page is full by rows, not records.
            let full = read.records.count + read.skipped.count >= limit
            let page = read.records
            let fresh = cursor.map { c in
                page.filter { $0.timestamp > c.time || ($0.timestamp == c.time && ($0.id ?? 0) > c.id) }
            } ?? page
            if fresh.isEmpty {
                // Nothing after the cursor in this page: the end, or more records at the cursor's
                // millisecond than a page holds (read a larger page).
                guard full else { return }
                limit *= 2
                continue
            }
            try await body(fresh)
            guard full, let last = fresh.last else { return }
            cursor = (last.timestamp, last.id ?? 0)
            limit = pageSize
        }
    }
}
