import Foundation

extension AnalyticsReport {
    /// Key-sorted JSON with dates as ISO-8601 UTC text; one line unless `pretty`.
    public func jsonData(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTimestamp.format(date) ?? String(date.timeIntervalSince1970))
        }
        return try encoder.encode(self)
    }

    public static func decode(json: Data) throws -> AnalyticsReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad date \(text)")
            }
            return date
        }
        return try decoder.decode(AnalyticsReport.self, from: json)
    }
}
