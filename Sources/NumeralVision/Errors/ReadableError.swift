import Foundation

/// Turns Foundation's file and JSON decoding errors into short reasons a person can act on:
/// no Swift type names ("Array<Any>"), no "NSCocoaErrorDomain error 256". Each reason has no
/// final period, because the typed errors that carry it continue the sentence.
public enum ReadableError {
    /// Why `path` cannot be read as a file (missing, a folder, no permission), or nil if it can.
    public static func fileProblem(path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "there is no such file; check the path"
        }
        if isDirectory.boolValue { return "it is a folder, not a file" }
        if access(path, R_OK) != 0 { return "permission denied; check the file's permissions" }
        return nil
    }

    /// Reads a whole file, or throws `ReadableError.Failure` with a reason from `fileProblem`.
    public static func contents(of path: String) throws -> Data {
        if let problem = fileProblem(path: path) { throw Failure(reason: problem) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(reason: fileProblem(path: path) ?? "the file cannot be read (I/O error)")
        }
    }

    /// A file that could not be read, with the reason.
    public struct Failure: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// A one-line reason for an error thrown by `JSONDecoder`, naming the field it concerns.
    /// Given the decoded `data`, a syntax error is told apart from a number out of range.
    public static func decoding(_ error: Error, data: Data? = nil) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context):
            let detail = context.debugDescription
            if context.codingPath.isEmpty, !detail.contains("valid JSON") {
                return trimmed(detail)
            }
            if context.codingPath.isEmpty {
                if let data {
                    do {
                        _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
                        return "a number in it is out of range, or a fraction where a whole number is needed"
                    } catch {
                        let more = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                        return "the text is not valid JSON" + (more.map { " (\(trimmed($0)))" } ?? "")
                    }
                }
                var text = "the text is not valid JSON"
                if let underlying = context.underlyingError as NSError?,
                   let more = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
                    text += " (\(trimmed(more)))"
                }
                return text
            }
            if detail.contains("does not fit") || detail.contains("not representable") || detail.contains("Number") {
                return "\(field(context.codingPath)) is a number out of range"
            }
            if detail.lowercased().contains("date") {
                return "\(field(context.codingPath)) is not a date like 2026-01-31T12:00:00Z"
            }
            return "\(field(context.codingPath)): \(trimmed(detail))"
        case let DecodingError.keyNotFound(key, context):
            return "\(field(context.codingPath + [key])) is missing"
        case let DecodingError.typeMismatch(type, context):
            return "\(field(context.codingPath)) should be \(kind(of: type))\(found(in: context.debugDescription))"
        case let DecodingError.valueNotFound(type, context):
            return "\(field(context.codingPath)) should be \(kind(of: type)), not null or missing"
        case let failure as Failure:
            return failure.reason
        default:
            return trimmed(String(describing: error))
        }
    }

    /// `"architecture.stages[0]"`, or "the top level" for the whole document.
    static func field(_ path: [CodingKey]) -> String {
        guard !path.isEmpty else { return "the top level" }
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return "\"\(text)\""
    }

    private static func kind(of type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list [...]" }
        if name.hasPrefix("Dictionary") || name.contains("Keyed") { return "an object {...}" }
        if name.hasPrefix("String") { return "text in quotes" }
        if name.hasPrefix("Bool") { return "true or false" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") { return "a whole number" }
        if name.hasPrefix("Double") || name.hasPrefix("Float") { return "a number" }
        return "a different kind of value"
    }

    /// ", not <kind>" from a debug description such as "... but found a string instead."
    private static func found(in description: String) -> String {
        guard let range = description.range(of: "found "),
              let end = description.range(of: " instead", range: range.upperBound..<description.endIndex)
        else { return "" }
        var what = String(description[range.upperBound..<end.lowerBound])
        for article in ["a ", "an "] where what.hasPrefix(article) { what.removeFirst(article.count) }
        let words = ["number": "a number", "string": "text", "array": "a list", "dictionary": "an object",
                     "object": "an object", "bool": "true/false", "null value": "null", "null": "null"]
        guard let word = words[what.lowercased()] else { return "" }
        return ", not \(word)"
    }

    private static func trimmed(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
