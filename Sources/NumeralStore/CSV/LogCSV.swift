import Foundation

/// The log as CSV. The first five columns are the seed app's, so existing pandas notebooks
/// read an export unchanged; the rest carry everything else needed to re-import it losslessly.
public enum LogCSV {
    public static let columns = [
        "timestamp", "input_type", "digit_predicted", "confidence", "digit_actual",
        "model_version", "latency_ms", "top3", "input", "drawing", "id", "uid", "device", "client",
    ]
    public static let requiredColumns = ["timestamp", "input_type", "digit_predicted", "confidence"]

    /// The CSV text for `records`, header first, CRLF line ends.
    public static func csvText(_ records: [PredictionRecord]) throws -> String {
        var text = header
        for record in records { text += try row(record) }
        return text
    }

    /// Writes the records matching `filter` to `path` atomically (a crash mid-export leaves
    /// any previous file intact) and returns how many were written.
    /// Rows that cannot be read back are skipped and returned, so the caller can name them.
    @discardableResult
    public static func export(from store: PredictionStore, filter: LogFilter = LogFilter(),
                              toFile path: String) throws -> (written: Int, skipped: [LogRead.SkippedRow]) {
        let read = try store.read(filter: filter)
        try export(read.records, toFile: path)
        return (read.records.count, read.skipped)
    }

    public static func export(_ records: [PredictionRecord], toFile path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw LogCSVError.cannotWrite(path: path, reason: "cannot create a file in \(url.deletingLastPathComponent().path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            var chunk = header
            for record in records {
                chunk += try row(record)
                if chunk.utf8.count > 1 << 20 {
                    try handle.write(contentsOf: Data(chunk.utf8))
                    chunk = ""
                }
            }
            try handle.write(contentsOf: Data(chunk.utf8))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, path) == 0 else {
                throw LogCSVError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let csvError = error as? LogCSVError { throw csvError }
            if let storeError = error as? StoreError { throw storeError }
            throw LogCSVError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// The header line, CRLF-ended.
    public static var header: String { columns.joined(separator: ",") + "\r\n" }

    /// The rows of `records`, without the header: a CSV written a page at a time.
    public static func rows(_ records: [PredictionRecord]) throws -> String {
        var text = ""
        for record in records { text += try row(record) }
        return text
    }

    static func row(_ record: PredictionRecord) throws -> String {
        guard let timestamp = UTCTimestamp.format(record.timestamp) else {
            throw StoreError.invalidRecord("prediction \(record.id.map(String.init) ?? "?") has a timestamp outside years 0000...9999")
        }
        let top3 = record.top3.isEmpty ? "" : try StoreJSON.text(record.top3)
        let drawing = try record.drawing.map(StoreJSON.text) ?? ""
        let input = record.input.map { Data($0).base64EncodedString() } ?? ""
        let fields = [
            CSVCodec.field(timestamp),
            CSVCodec.field(record.inputType.rawValue),
            CSVCodec.field(record.predicted),
            CSVCodec.field(String(record.confidence)),
            CSVCodec.field(record.actual ?? ""),
            CSVCodec.field(record.modelVersion),
            CSVCodec.field(record.latencyMs.map { String($0) } ?? ""),
            CSVCodec.field(top3, alwaysQuote: !top3.isEmpty),
            CSVCodec.field(input, alwaysQuote: !input.isEmpty),
            CSVCodec.field(drawing, alwaysQuote: !drawing.isEmpty),
            record.id.map(String.init) ?? "",
            CSVCodec.field(record.uid ?? ""),
            CSVCodec.field(record.device ?? ""),
            CSVCodec.field(record.client ?? ""),
        ]
        return fields.joined(separator: ",") + "\r\n"
    }
}
