import Foundation
import NumeralSession
import NumeralStore

/// The filters of `GET /api/v1/stats` and `/api/v1/log.csv`, with the same meaning as
/// `numeral stats --from --to --input-type --device --low-confidence`.
public struct StatsQuery: Sendable, Equatable {
    public var filter = LogFilter()
    public var lowConfidence = 0.5

    public init() {}

    /// Reads the query parameters `from`, `to`, `input_type`, `device` and `low_confidence`.
    public init(parameters: [String: String]) throws {
        if let from = parameters["from"] { filter.from = try Self.date(from, name: "from", wholeDayEnd: false) }
        if let to = parameters["to"] { filter.to = try Self.date(to, name: "to", wholeDayEnd: true) }
        if let device = parameters["device"] {
            guard !device.isEmpty, device.count <= 200 else { throw ServiceError.badRequest("device needs a device name.") }
            filter.device = device
        }
        if let type = parameters["input_type"] {
            guard let inputType = InputType(rawValue: type.lowercased()) else {
                throw ServiceError.badRequest("input_type must be one of \(InputType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.inputType = inputType
        }
        if let low = parameters["low_confidence"] {
            guard let value = Double(low), value.isFinite, (0...1).contains(value) else {
                throw ServiceError.badRequest("low_confidence must be a number between 0 and 1.")
            }
            lowConfidence = value
        }
    }

    /// A date alone as an upper bound means "through that day", as in `numeral stats`.
    private static func date(_ text: String, name: String, wholeDayEnd: Bool) throws -> Date {
        guard text.count <= 40, let date = UTCTimestamp.parse(text) else {
            throw ServiceError.badRequest("\(name) \"\(text.prefix(40))\" is not a date like 2024-01-05 or 2024-01-05T13:45:00Z.")
        }
        let dateOnly = text.trimmingCharacters(in: .whitespaces).count == 10
        return wholeDayEnd && dateOnly ? date.addingTimeInterval(86_400) : date
    }
}
