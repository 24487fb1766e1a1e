import Foundation

/// The JSON the log stores and exports: compact with sorted keys, so the same record always
/// produces the same text (stable CSV diffs, dedupe-friendly).
enum StoreJSON {
    static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
