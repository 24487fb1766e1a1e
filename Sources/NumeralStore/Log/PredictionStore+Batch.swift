import Foundation
import GRDB

extension PredictionStore {
    /// Writes `entries` (upserts and feedback, applied in order) in one transaction: one commit
    /// and, with `synchronous = FULL`, one fsync for all of them. How group commit makes many
    /// clients' records durable for the price of one.
    ///
    /// An entry the log refuses for good (an invalid record, feedback for a record that was
    /// never written) gets its own failure and changes nothing; the others are written. Any
    /// other failure (the database locked, read-only, full or unreachable) rolls the whole
    /// transaction back and is thrown: then none of the entries is in the log. Upserts give
    /// their row's id, feedback -1.
    public func write(batch entries: [SpoolEntry]) throws -> [Result<Int64, StoreError>] {
        guard !entries.isEmpty else { return [] }
        if let postgres { return try postgres.write(batch: entries) }
        var results = [Result<Int64, StoreError>](repeating: .success(-1), count: entries.count)
        // Validated before the transaction: a bad entry never costs the others their commit.
        var arguments = [StatementArguments?](repeating: nil, count: entries.count)
        for (index, entry) in entries.enumerated() {
            do {
                switch entry {
                case .upsert(let record):
                    try Self.checkUID(entry.uid)
                    arguments[index] = try PredictionRow.insertArguments(record)
                case .feedback(let uid, let actual):
                    try Self.checkUID(uid)
                    if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
                    arguments[index] = [actual, uid]
                }
            } catch {
                results[index] = .failure(StoreError.wrap(error, path: path, busyTimeout: Self.busyTimeout))
            }
        }
        guard arguments.contains(where: { $0 != nil }) else { return results }
        try guarded {
            try pool.write { db in
                let upsert = try db.cachedStatement(sql: Self.upsertSQL)
                let selectID = try db.cachedStatement(sql: "SELECT id FROM predictions WHERE uid = ?")
                let feedback = try db.cachedStatement(sql: "UPDATE predictions SET digit_actual = ? WHERE uid = ?")
                for (index, entry) in entries.enumerated() {
                    guard let bound = arguments[index] else { continue }
                    switch entry {
                    case .upsert:
                        try upsert.execute(arguments: bound)
                        results[index] = .success(try Int64.fetchOne(selectID, arguments: [entry.uid]) ?? -1)
                    case .feedback(let uid, _):
                        try feedback.execute(arguments: bound)
                        if db.changesCount != 1 { results[index] = .failure(.unknownRecord(uid: uid)) }
                    }
                }
            }
        }
        return results
    }

    /// Throws the error the log would refuse `entry` with for good (an invalid record or value),
    /// before any database is asked.
    public static func check(_ entry: SpoolEntry) throws {
        try checkUID(entry.uid)
        switch entry {
        case .upsert(let record): try RecordValidation.validate(record)
        case .feedback(_, let actual): if let actual { try RecordValidation.validateDigits(actual, field: "the actual value") }
        }
    }

    static func checkUID(_ uid: String) throws {
        guard !uid.isEmpty, uid.count <= 128 else { throw StoreError.invalidRecord("the record id \"\(uid.prefix(40))\" is empty or too long") }
    }

    static let upsertSQL = """
        INSERT INTO predictions (\(PredictionRow.insertColumns)) VALUES (\(PredictionRow.insertPlaceholders))
        ON CONFLICT(uid) DO UPDATE SET
            digit_predicted = excluded.digit_predicted, confidence = excluded.confidence,
            model_version = excluded.model_version, latency_ms = excluded.latency_ms,
            top3 = excluded.top3, input = excluded.input, drawing = excluded.drawing,
            input_type = excluded.input_type
        """
}
