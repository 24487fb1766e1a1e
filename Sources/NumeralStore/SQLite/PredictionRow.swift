import Foundation
import GRDB
import NumeralVision

/// A row whose stored values cannot be read back; the store reports it as `.corrupt`
/// naming its file.
struct DamagedRow: Error {
    var id: Int64 = -1
    let detail: String
}

/// Conversion between `PredictionRecord` and the `predictions` table's columns.
enum PredictionRow {
    static let columns = """
        id, timestamp, input_type, digit_predicted, confidence, digit_actual,
        model_version, latency_ms, top3, input, drawing, uid, device, client
        """
    /// Columns for callers that skip the heavy input/drawing payload.
    static let columnsWithoutPayload = """
        id, timestamp, input_type, digit_predicted, confidence, digit_actual,
        model_version, latency_ms, top3, NULL AS input, NULL AS drawing, uid, device, client
        """

    /// Arguments for `INSERT INTO predictions (<insertColumns>) VALUES (<insertPlaceholders>)`.
    static let insertColumns = """
        timestamp, input_type, digit_predicted, confidence, digit_actual,
        model_version, latency_ms, top3, input, drawing, uid, device, client
        """
    static let insertPlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

    static func insertArguments(_ record: PredictionRecord) throws -> StatementArguments {
        try RecordValidation.validate(record)
        guard let timestamp = UTCTimestamp.format(record.timestamp) else {
            throw StoreError.invalidRecord("the timestamp cannot be stored")
        }
        let top3 = try StoreJSON.text(record.top3)
        let drawing = try record.drawing.map(StoreJSON.text)
        return [
            timestamp, record.inputType.rawValue, record.predicted, record.confidence, record.actual,
            record.modelVersion, record.latencyMs, top3, record.input.map { Data($0) }, drawing, record.uid,
            record.device, record.client,
        ]
    }

    /// Reads the columns of `columns` by position (name lookups cost a string search per
    /// field). Conversions are checked: a file edited by hand with, say, text in the
    /// confidence column is reported as damaged instead of trapping inside GRDB.
    static func decode(_ row: Row) throws -> PredictionRecord {
        func value<T: DatabaseValueConvertible>(_ index: Int) -> T? {
            T.fromDatabaseValue(row[index] as DatabaseValue)
        }
        let idValue: Int64? = value(0)
        let id = idValue ?? -1
        func damaged(_ what: String) -> DamagedRow {
            DamagedRow(id: id, detail: "prediction \(id) has \(what)")
        }
        guard idValue != nil else { throw damaged("no integer id") }
        guard let timestampText: String = value(1), let timestamp = UTCTimestamp.parse(timestampText) else {
            throw damaged("an unreadable timestamp")
        }
        guard let typeText: String = value(2), let inputType = InputType(rawValue: typeText) else {
            throw damaged("an unknown input type \"\((value(2) as String?) ?? "")\"")
        }
        guard let predicted: String = value(3), let confidence: Double = value(4) else {
            throw damaged("an unreadable prediction or confidence")
        }
        let top3Text: String = value(8) ?? "[]"
        guard let top3 = try? JSONDecoder().decode([DigitProbability].self, from: Data(top3Text.utf8)) else {
            throw damaged("an unreadable top-3 list")
        }
        var drawing: Drawing?
        if let drawingText: String = value(10) {
            guard let decoded = try? JSONDecoder().decode(Drawing.self, from: Data(drawingText.utf8)) else {
                throw damaged("an unreadable drawing")
            }
            drawing = decoded
        }
        let input: Data? = value(9)
        return PredictionRecord(
            id: id, timestamp: timestamp, inputType: inputType, predicted: predicted,
            confidence: confidence, top3: top3, actual: value(5),
            modelVersion: value(6) ?? PredictionRecord.unknownModelVersion,
            latencyMs: value(7), input: input.map { [UInt8]($0) }, drawing: drawing, uid: value(11),
            device: value(12), client: value(13))
    }

    /// `WHERE` clause and arguments selecting what `filter` selects.
    static func whereClause(_ filter: LogFilter, extra: [String] = []) -> (sql: String, arguments: StatementArguments) {
        var conditions = extra
        var arguments = StatementArguments()
        // Stored times are whole milliseconds, so rounding the bounds up to whole
        // milliseconds keeps `>=` and `<` exactly equivalent to LogFilter.matches.
        if let from = filter.from, let text = formatCeilingMilliseconds(from) {
            conditions.append("timestamp >= ?")
            arguments += [text]
        }
        if let to = filter.to, let text = formatCeilingMilliseconds(to) {
            conditions.append("timestamp < ?")
            arguments += [text]
        }
        if let type = filter.inputType {
            conditions.append("input_type = ?")
            arguments += [type.rawValue]
        }
        if let device = filter.device {
            conditions.append("device = ?")
            arguments += [device]
        }
        let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return (sql, arguments)
    }

    private static func formatCeilingMilliseconds(_ date: Date) -> String? {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.up)
        guard ms.isFinite else { return nil }
        let clamped = min(max(ms, -62_167_219_200_000), 253_402_300_799_999)  // years 0000...9999
        return UTCTimestamp.format(milliseconds: Int64(clamped))
    }
}
