import Foundation
import GRDB
import PostgresNIO

/// One row of an aggregate query, the same from either database.
public struct AggregateRow: Sendable {
    public enum Value: Sendable { case int(Int64), double(Double), text(String), date(Date), null }
    public var values: [Value]

    public func int(_ i: Int) -> Int {
        switch values.indices.contains(i) ? values[i] : .null {
        case .int(let v): return Int(v)
        case .double(let v): return v.isFinite ? Int(v) : 0
        default: return 0
        }
    }

    public func double(_ i: Int) -> Double? {
        switch values.indices.contains(i) ? values[i] : .null {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }

    public func string(_ i: Int) -> String? {
        if case .text(let v) = values.indices.contains(i) ? values[i] : .null { return v }
        return nil
    }

    public func date(_ i: Int) -> Date? {
        switch values.indices.contains(i) ? values[i] : .null {
        case .date(let v): return UTCTimestamp.truncatedToMilliseconds(v)
        case .text(let v): return UTCTimestamp.parse(v)
        default: return nil
        }
    }

    static func value(_ stored: DatabaseValue) -> Value {
        switch stored.storage {
        case .int64(let v): return .int(v)
        case .double(let v): return .double(v)
        case .string(let v): return .text(v)
        case .null, .blob: return .null
        }
    }

    static func value(_ cell: PostgresCell) -> Value {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2: return (try? cell.decode(Int64.self)).map { .int($0) } ?? .null
        case .float8, .float4: return (try? cell.decode(Double.self)).map { .double($0) } ?? .null
        case .timestamptz, .timestamp: return (try? cell.decode(Date.self)).map { .date($0) } ?? .null
        default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}
