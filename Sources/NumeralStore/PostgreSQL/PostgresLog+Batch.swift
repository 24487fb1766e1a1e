import Foundation
import PostgresNIO

/// Group commit on PostgreSQL: what `PredictionStore.write(batch:)` does on SQLite, in one
/// BEGIN … COMMIT on the log's connection.
extension PostgresLog {
    func write(batch entries: [SpoolEntry]) throws -> [Result<Int64, StoreError>] {
        var results = [Result<Int64, StoreError>](repeating: .success(-1), count: entries.count)
        var queries = [PostgresQuery?](repeating: nil, count: entries.count)
        for (index, entry) in entries.enumerated() {
            do {
                try PredictionStore.checkUID(entry.uid)
                switch entry {
                case .upsert(let record):
                    queries[index] = PostgresQuery(unsafeSQL: Self.upsertSQL, binds: try Self.insertBindings(record))
                case .feedback(let uid, let actual):
                    if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
                    queries[index] = "UPDATE predictions SET digit_actual = \(actual) WHERE uid = \(uid) RETURNING id"
                }
            } catch let error as StoreError {
                results[index] = .failure(error)
            } catch {
                results[index] = .failure(.invalidRecord(String(describing: error)))
            }
        }
        guard queries.contains(where: { $0 != nil }) else { return results }
        try run { c in
            try transaction(c) {
                for (index, entry) in entries.enumerated() {
                    guard let query = queries[index] else { continue }
                    let rows = try self.query(query, on: c)
                    switch entry {
                    case .upsert:
                        results[index] = .success(try rows.first.map { try $0[0].decode(Int64.self) } ?? -1)
                    case .feedback(let uid, _):
                        if rows.count != 1 { results[index] = .failure(.unknownRecord(uid: uid)) }
                    }
                }
            }
        }
        return results
    }

    static let upsertSQL = """
        INSERT INTO predictions (\(insertColumns)) VALUES (\(insertPlaceholders))
        ON CONFLICT (uid) DO UPDATE SET
            digit_predicted = excluded.digit_predicted, confidence = excluded.confidence,
            model_version = excluded.model_version, latency_ms = excluded.latency_ms,
            top3 = excluded.top3, input = excluded.input, drawing = excluded.drawing,
            input_type = excluded.input_type
        RETURNING id
        """
}
