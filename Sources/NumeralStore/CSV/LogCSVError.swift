import Foundation

/// Problems with a CSV file as a whole; problems with single rows go into `ImportReport`.
public enum LogCSVError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case missingColumns(path: String, columns: [String])
    case noHeader(path: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "Cannot read the CSV file \(path): \(reason). Check the path and its permissions."
        case let .cannotWrite(path, reason):
            return "Cannot write the CSV file \(path): \(reason). Check that its directory exists and is writable."
        case let .missingColumns(path, columns):
            return "The CSV file \(path) lacks the column(s) \(columns.joined(separator: ", ")). "
                + "Its first line must name at least: \(LogCSV.requiredColumns.joined(separator: ","))."
        case let .noHeader(path):
            return "The CSV file \(path) is empty. Its first line must name the columns, e.g. "
                + LogCSV.columns.prefix(5).joined(separator: ",") + "."
        }
    }
}

/// What an import did: rows added, rows already in the log, and rows refused with why.
public struct ImportReport: Equatable, Sendable, CustomStringConvertible {
    public struct RowError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The line of the file the row starts on (the header is line 1).
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var imported: Int
    public var skippedDuplicates: Int
    public var errors: [RowError]

    public var description: String {
        var text = "Imported \(imported) prediction(s), skipped \(skippedDuplicates) already in the log"
        if !errors.isEmpty {
            text += ", refused \(errors.count) row(s):\n" + errors.map { "  \($0)" }.joined(separator: "\n")
        }
        return text
    }
}
