import Foundation
import XCTest
@testable import NumeralStore

/// The report computed by the database equals `Analytics.report` over the same records, on
/// SQLite and on PostgreSQL, and both backends give the same numbers for the same CSV.
final class SQLAnalyticsTests: XCTestCase {
    /// A seeded log: four input types, three devices (and old rows without one), numbers,
    /// feedback on about 70 %, latencies on most, spread over 20 days.
    static func sampleRecords(count: Int = 2_500, seed: UInt64 = 11) -> [PredictionRecord] {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        func uniform() -> Double { Double(next() % 1_000_000) / 1_000_000 }
        let start = 1_730_000_000.0
        return (0..<count).map { n in
            let multi = next() % 20 == 0
            let predicted = multi ? String(next() % 900 + 100) : String(next() % 10)
            var actual: String? = nil
            if uniform() < 0.7 { actual = uniform() < 0.9 ? predicted : (multi ? String(next() % 900 + 100) : String(next() % 10)) }
            let devices: [String?] = ["kiosk-1", "kiosk-2", "lab", nil]
            return PredictionRecord(
                timestamp: Date(timeIntervalSince1970: start + Double(n) * 691.3 + uniform()),
                inputType: InputType.allCases[Int(next() % 4)], predicted: predicted,
                confidence: (uniform() * 1000).rounded() / 1000, actual: actual, modelVersion: "m\(next() % 3)",
                latencyMs: uniform() < 0.85 ? (uniform() * 5000).rounded() / 1000 : nil,
                uid: "s-\(n)", device: devices[Int(next() % 4)])
        }
    }

    static let filters: [LogFilter] = [
        LogFilter(),
        LogFilter(from: Date(timeIntervalSince1970: 1_730_400_000), to: Date(timeIntervalSince1970: 1_731_000_000)),
        LogFilter(from: Date(timeIntervalSince1970: 1_730_500_000), to: Date(timeIntervalSince1970: 1_730_560_000)),
        LogFilter(inputType: .upload),
        LogFilter(device: "kiosk-2"),
        LogFilter(from: Date(timeIntervalSince1970: 1_731_900_000), to: Date(timeIntervalSince1970: 1_732_000_000), device: "lab"),
    ]
    static let zones = ["UTC", "Asia/Kolkata", "America/New_York"].compactMap(TimeZone.init(identifier:))

    /// Equal up to the last bits of the mean, which depends on the order sums are taken in.
    func assertSame(_ a: AnalyticsReport, _ b: AnalyticsReport, _ what: String, line: UInt = #line) {
        var a = a, b = b
        XCTAssertEqual(a.summary.meanConfidence ?? -1, b.summary.meanConfidence ?? -1, accuracy: 1e-9, what, line: line)
        a.summary.meanConfidence = nil
        b.summary.meanConfidence = nil
        XCTAssertEqual(a, b, what, line: line)
    }

    func testSQLiteReportEqualsTheReportOverTheRecords() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        _ = try store.importRecords(Self.sampleRecords())
        let records = try store.all()
        for filter in Self.filters {
            for zone in Self.zones {
                assertSame(try store.report(filter: filter, lowConfidenceThreshold: 0.4, confusedPairLimit: 8, timeZone: zone),
                           Analytics.report(records, filter: filter, lowConfidenceThreshold: 0.4, confusedPairLimit: 8, timeZone: zone),
                           "\(filter) in \(zone.identifier)")
            }
        }
        let empty = try store.report(filter: LogFilter(device: "nobody"))
        XCTAssertEqual(empty, Analytics.report([], filter: LogFilter(device: "nobody")))
    }

    func testPostgreSQLAndSQLiteGiveTheSameNumbersForTheSameCSV() throws {
        let url = try PostgresTestServer.freshDatabase(self)
        let csv = try makeTemporaryDirectory(self) + "/log.csv"
        try LogCSV.export(Self.sampleRecords(), toFile: csv)
        let sqlite = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let pg = try PredictionStore(location: .postgres(try PostgresURL(url)))
        XCTAssertEqual(try LogCSV.importCSV(fromFile: csv, into: sqlite).imported, 2_500)
        XCTAssertEqual(try LogCSV.importCSV(fromFile: csv, into: pg).imported, 2_500)
        XCTAssertEqual(try LogCSV.importCSV(fromFile: csv, into: pg).imported, 0, "idempotent on PostgreSQL too")
        let records = try sqlite.all()
        XCTAssertEqual(try pg.all(), records)
        for filter in Self.filters {
            for zone in Self.zones {
                let fromSQLite = try sqlite.report(filter: filter, timeZone: zone)
                assertSame(try pg.report(filter: filter, timeZone: zone), fromSQLite, "PostgreSQL vs SQLite, \(filter) in \(zone.identifier)")
                assertSame(fromSQLite, Analytics.report(records, filter: filter, timeZone: zone), "SQL vs records, \(filter)")
            }
        }
    }

    func testUnreadableRowsAreLeftOutAndNamed() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        _ = try store.importRecords(Array(Self.sampleRecords(count: 50)))
        try store.pool.write { db in
            try db.execute(sql: "UPDATE predictions SET input_type = 'scanner' WHERE id = 7")
            try db.execute(sql: "UPDATE predictions SET confidence = 'high' WHERE id = 9")
        }
        XCTAssertEqual(try store.unreadableRows().map(\.id), [7, 9])
        let read = try store.read()
        assertSame(try store.report(), Analytics.report(read.records), "the report counts what read() reads")
    }

    /// The report finds unreadable rows without a scan of its own (an unknown input type in its
    /// groups, a mistyped value at an index's end), each kind alone, and names them.
    func testEachKindOfUnreadableRowIsFoundByTheReportAlone() throws {
        let damages = [
            ("an unknown input type", "UPDATE predictions SET input_type = 'scanner' WHERE id = 12"),
            ("a text confidence", "UPDATE predictions SET confidence = 'high' WHERE id = 12"),
            ("a blob timestamp", "UPDATE predictions SET timestamp = X'00' WHERE id = 12"),
        ]
        for (what, damage) in damages {
            let store = try PredictionStore(directory: try makeTemporaryDirectory(self, function: what))
            _ = try store.importRecords(Array(Self.sampleRecords(count: 60)))
            let before = try store.reportNamingUnreadable()
            XCTAssertEqual(before.unreadable.count, 0, what)
            try store.pool.write { db in try db.execute(sql: damage) }
            let (report, unreadable) = try store.reportNamingUnreadable(lowConfidenceThreshold: 0.5)
            XCTAssertEqual(unreadable.map(\.id), [12], what)
            XCTAssertEqual(report.summary.total, 59, what)
            assertSame(report, Analytics.report(try store.read().records), "\(what): the report counts what read() reads")
            assertSame(try store.report(), report, what)
        }
    }
}
