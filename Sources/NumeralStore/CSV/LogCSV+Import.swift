import Foundation
import NumeralVision

extension LogCSV {
    /// Adds the rows of a CSV file to the log. Idempotent: a row whose timestamp, input
    /// type, prediction and confidence are already logged is skipped, so importing the
    /// same file (or an export of the same log) twice adds nothing. Bad rows are reported
    /// by line and the good ones kept. Accepts the seed app's five-column files.
    ///
    /// The file is read a megabyte at a time and imported `batchSize` records at a time, so
    /// memory stays flat however large it is; a missing header or column is refused before
    /// anything is imported.
    public static func importCSV(fromFile path: String, into store: PredictionStore, batchSize: Int = 5_000) throws -> ImportReport {
        if let problem = ReadableError.fileProblem(path: path) { throw LogCSVError.cannotRead(path: path, reason: problem) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LogCSVError.cannotRead(path: path, reason: ReadableError.fileProblem(path: path) ?? "it cannot be read")
        }
        defer { try? handle.close() }
        var parser = CSVParser()
        var decoder: RowDecoder?
        var batch: [PredictionRecord] = []
        var report = ImportReport(imported: 0, skippedDuplicates: 0, errors: [])
        func flush() throws {
            guard !batch.isEmpty else { return }
            let outcome = try store.importRecords(batch)
            report.imported += outcome.imported
            report.skippedDuplicates += outcome.duplicates
            batch.removeAll(keepingCapacity: true)
        }
        func take(_ row: CSVCodec.Record) throws {
            guard let decoder else {
                decoder = try RowDecoder(header: row, source: path)
                return
            }
            switch decoder.decode(row) {
            case .success(let record):
                batch.append(record)
                if batch.count >= batchSize { try flush() }
            case .failure(let error):
                report.errors.append(error)
            }
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw LogCSVError.cannotRead(path: path, reason: error.localizedDescription)
            }
            try parser.parse([UInt8](chunk)[...], isLast: chunk.isEmpty, emit: take)
            if chunk.isEmpty { break }
        }
        guard decoder != nil else { throw LogCSVError.noHeader(path: path) }
        try flush()
        return report
    }

    public static func importCSV(bytes: [UInt8], source: String, into store: PredictionStore) throws -> ImportReport {
        let parsed = try parse(bytes: bytes, source: source)
        let outcome = try store.importRecords(parsed.records.map(\.record))
        return ImportReport(imported: outcome.imported, skippedDuplicates: outcome.duplicates, errors: parsed.errors)
    }

    /// The records of a CSV text without touching any store, and the rows refused.
    public static func parse(bytes: [UInt8], source: String) throws
        -> (records: [(line: Int, record: PredictionRecord)], errors: [ImportReport.RowError]) {
        let rows = CSVCodec.records(bytes)
        guard let header = rows.first else { throw LogCSVError.noHeader(path: source) }
        let decoder = try RowDecoder(header: header, source: source)
        var records: [(line: Int, record: PredictionRecord)] = []
        var errors: [ImportReport.RowError] = []
        for row in rows.dropFirst() {
            switch decoder.decode(row) {
            case .success(let record): records.append((row.line, record))
            case .failure(let error): errors.append(error)
            }
        }
        return (records, errors)
    }

    /// A row read against the header's column names.
    private struct RowDecoder {
        let names: [String]
        var position: [String: Int] = [:]

        init(header: CSVCodec.Record, source: String) throws {
            names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            for (index, name) in names.enumerated() where position[name] == nil { position[name] = index }
            let missing = LogCSV.requiredColumns.filter { position[$0] == nil }
            guard missing.isEmpty else { throw LogCSVError.missingColumns(path: source, columns: missing) }
        }

        func decode(_ row: CSVCodec.Record) -> Result<PredictionRecord, ImportReport.RowError> {
            do {
                if let problem = row.problem { throw RowProblem(problem) }
                guard row.fields.count == names.count else {
                    throw RowProblem("has \(row.fields.count) field(s) but the header names \(names.count)")
                }
                return .success(try LogCSV.decodeRow { name in position[name].map { CSVCodec.unneutralized(row.fields[$0]) } })
            } catch let problem as RowProblem {
                return .failure(.init(line: row.line, message: problem.message))
            } catch let error as StoreError {
                return .failure(.init(line: row.line, message: error.description))
            } catch {
                return .failure(.init(line: row.line, message: "\(error)"))
            }
        }
    }

    private struct RowProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    fileprivate static func decodeRow(_ value: (String) -> String?) throws -> PredictionRecord {
        func text(_ name: String) -> String {
            (value(name) ?? "").trimmingCharacters(in: .whitespaces)
        }
        let timestampText = text("timestamp")
        guard let timestamp = UTCTimestamp.parse(timestampText) else {
            throw RowProblem("timestamp \"\(timestampText)\" is not a date like 2024-01-05 13:45:10 or 2024-01-05T13:45:10.123Z")
        }
        let typeText = text("input_type").lowercased()
        guard let inputType = InputType(rawValue: typeText) else {
            throw RowProblem("input_type \"\(typeText)\" is not one of "
                + InputType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let predicted = digits(text("digit_predicted"))
        let confidenceText = text("confidence")
        guard let confidence = Double(confidenceText) else {
            throw RowProblem("confidence \"\(confidenceText)\" is not a number")
        }
        let actualText = text("digit_actual")
        let actual = missingMarkers.contains(actualText.lowercased()) ? nil : digits(actualText)
        // Taken verbatim: a model name is free text and spaces in it may be meaningful.
        let modelText = value("model_version") ?? ""
        let latencyText = text("latency_ms")
        var latency: Double?
        if !latencyText.isEmpty {
            guard let parsed = Double(latencyText) else { throw RowProblem("latency_ms \"\(latencyText)\" is not a number") }
            latency = parsed
        }
        let record = PredictionRecord(
            timestamp: timestamp, inputType: inputType, predicted: predicted, confidence: confidence,
            top3: try decodeJSON([DigitProbability].self, text("top3"), column: "top3") ?? [],
            actual: actual,
            modelVersion: modelText.isEmpty ? PredictionRecord.unknownModelVersion : modelText,
            latencyMs: latency, input: try decodeInput(text("input")),
            drawing: try decodeJSON(Drawing.self, text("drawing"), column: "drawing"),
            uid: text("uid").isEmpty ? nil : text("uid"),
            device: (value("device") ?? "").isEmpty ? nil : value("device"),
            client: (value("client") ?? "").isEmpty ? nil : value("client"))
        try RecordValidation.validate(record)
        return record
    }

    /// How pandas and spreadsheets write a missing label.
    private static let missingMarkers: Set<String> = ["", "nan", "none", "null", "na", "n/a"]

    /// pandas turns a label column with gaps into floats ("7.0"); those are still digits.
    private static func digits(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."),
              text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return text }
        return String(text[..<dot])
    }

    private static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws -> T? {
        guard !text.isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw RowProblem("\(column) is not valid JSON for this column")
        }
    }

    private static func decodeInput(_ text: String) throws -> [UInt8]? {
        guard !text.isEmpty else { return nil }
        guard let data = Data(base64Encoded: text) else { throw RowProblem("input is not base64") }
        return [UInt8](data)
    }
}
