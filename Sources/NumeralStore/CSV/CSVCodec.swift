import Foundation

/// RFC 4180 CSV: fields separated by commas, records by CRLF (LF and lone CR are accepted
/// on reading), fields holding a comma, quote or line break enclosed in double quotes with
/// inner quotes doubled.
enum CSVCodec {
    /// One record of the file, with the physical line it starts on (1-based) so import
    /// errors can point at it even when quoted fields span lines.
    struct Record {
        var line: Int
        var fields: [String]
        /// Set when the record is malformed; `fields` then holds what could be read.
        var problem: String?
    }

    /// Characters that make a spreadsheet read a cell as a formula (CSV injection), when the
    /// cell starts with one of them.
    static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `value` made inert for spreadsheets the usual way (OWASP): a cell starting with a
    /// formula trigger gets a leading apostrophe. A value that already starts with an
    /// apostrophe gets one more, so `unneutralized` restores every value exactly.
    static func neutralized(_ value: String) -> String {
        guard let first = value.first, formulaTriggers.contains(first) || first == "'" else { return value }
        return "'" + value
    }

    /// Undoes `neutralized`.
    static func unneutralized(_ value: String) -> String {
        guard value.first == "'", let second = value.dropFirst().first,
              formulaTriggers.contains(second) || second == "'" else { return value }
        return String(value.dropFirst())
    }

    static func field(_ value: String, alwaysQuote: Bool = false) -> String {
        let value = neutralized(value)
        let needsQuotes = alwaysQuote || value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits `bytes` (UTF-8, optionally with a byte-order mark) into records, skipping
    /// blank lines as pandas does. Malformed records are returned with a `problem` rather
    /// than stopping the parse, so every other row can still be imported.
    static func records(_ bytes: [UInt8]) -> [Record] {
        var parser = CSVParser()
        var records: [Record] = []
        parser.parse(bytes[...], isLast: true) { records.append($0) }
        return records
    }
}

/// `CSVCodec.records` a chunk at a time: a file of any size is read in bounded memory. A
/// chunk may end anywhere; the one byte a decision looks ahead to (after a quote or a
/// carriage return) waits for the next chunk.
struct CSVParser {
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var problem: String?
    private var line = 1, recordLine = 1
    private var inQuotes = false, fieldWasQuoted = false, afterClosingQuote = false
    private var started = false
    /// A quote or carriage return at the end of the last chunk, decided with the next byte.
    private var held: UInt8?
    /// The first bytes, too few to tell a byte-order mark: parsed with the next chunk.
    private var pendingStart: [UInt8] = []

    /// Parses `chunk` (the last one when `isLast`), handing each complete record to `emit`.
    mutating func parse(_ chunk: ArraySlice<UInt8>, isLast: Bool, emit: (CSVCodec.Record) throws -> Void) rethrows {
        var bytes = pendingStart
        pendingStart = []
        bytes.reserveCapacity(bytes.count + chunk.count + 1)
        if let held { bytes.append(held) }
        held = nil
        bytes += chunk
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var index = 0
        if !started {
            if bytes.count < 3 && !isLast {
                pendingStart = bytes
                return
            }
            started = true
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }
        while index < bytes.count {
            let byte = bytes[index]
            // What a quote or a carriage return means depends on the byte after it: at the end
            // of a chunk, it waits for the next one.
            if !isLast, index == bytes.count - 1, byte == quote || byte == cr {
                held = byte
                break
            }
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if byte == lf || (byte == cr && (index >= bytes.count || bytes[index] != lf)) { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case comma:
                endField()
            case cr, lf:
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
                try endRecord(emit)
                line += 1
                recordLine = line
            case quote where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            default:
                if afterClosingQuote || byte == quote {
                    problem = problem ?? "a double quote in field \(fields.count + 1) is not escaped as \"\" (RFC 4180)"
                }
                field.append(byte)
            }
        }
        guard isLast else { return }
        if inQuotes { problem = problem ?? "a quoted field opened on this line is never closed" }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted || problem != nil { try endRecord(emit) }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
        afterClosingQuote = false
    }

    private mutating func endRecord(_ emit: (CSVCodec.Record) throws -> Void) rethrows {
        endField()
        let blank = fields.count == 1 && fields[0].isEmpty && problem == nil
        let record = CSVCodec.Record(line: recordLine, fields: fields, problem: problem)
        fields.removeAll(keepingCapacity: true)
        problem = nil
        if !blank { try emit(record) }
    }
}
