import Foundation
import GRDB
import XCTest
@testable import NumeralStore

/// The roll-up tables answer as the full scan of the log does, on SQLite and PostgreSQL, after
/// feedback changes, upserts that replace predictions, imports, copies and spool replays, for
/// filters with and without whole days in many time zones; they are back-filled once by the
/// migration; and the report really reads them.
final class RollupTests: XCTestCase {
    static let zones = ["UTC", "Asia/Kolkata", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "America/Los_Angeles"]
        .compactMap(TimeZone.init(identifier:))

    /// Filters over the sample's 20 days: none, open-ended, whole days, part days on either
    /// side, less than a day, one device or input type.
    static func filters(seed: UInt64 = 5) -> [LogFilter] {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let start = 1_729_990_000.0, span = 21 * 86_400.0
        let day = 86_400.0
        var filters: [LogFilter] = [
            LogFilter(),
            LogFilter(from: Date(timeIntervalSince1970: 1_730_246_400)),                 // midnight UTC, open end
            LogFilter(to: Date(timeIntervalSince1970: 1_730_851_200.5)),                 // just past midnight
            LogFilter(from: Date(timeIntervalSince1970: 1_730_246_400), to: Date(timeIntervalSince1970: 1_730_851_200)),
            LogFilter(from: Date(timeIntervalSince1970: 1_730_300_000), to: Date(timeIntervalSince1970: 1_730_330_000)),
            LogFilter(inputType: .upload), LogFilter(device: "kiosk-2"), LogFilter(device: "nobody"),
        ]
        for _ in 0..<14 {
            let a = start + Double(next() % UInt64(span)) + Double(next() % 1000) / 1000
            let length = Double(next() % UInt64(8 * day))
            let type: InputType? = next() % 3 == 0 ? InputType.allCases[Int(next() % 4)] : nil
            let device: String? = next() % 3 == 0 ? ["kiosk-1", "kiosk-2", "lab"][Int(next() % 3)] : nil
            filters.append(LogFilter(from: Date(timeIntervalSince1970: a), to: Date(timeIntervalSince1970: a + length),
                                     inputType: type, device: device))
        }
        return filters
    }

    /// Writes the sample, then changes it every way a log changes.
    private func fill(_ store: PredictionStore, spool: String) throws {
        let records = SQLAnalyticsTests.sampleRecords()
        _ = try store.importRecords(Array(records.prefix(2_000)))
        // Feedback given, changed and taken back.
        for n in stride(from: 0, to: 2_000, by: 7) { try store.setActual(uid: "s-\(n)", actual: n % 2 == 0 ? String(n % 10) : nil) }
        // Upserts that replace a prediction (its prediction, confidence and latency change).
        for n in stride(from: 3, to: 2_000, by: 11) {
            var r = records[n]
            r.predicted = n % 5 == 0 ? "4711" : String((n + 3) % 10)
            r.confidence = Double(n % 97) / 97
            r.latencyMs = n % 4 == 0 ? nil : Double(n % 1300)
            try store.upsert(r, uid: r.uid ?? "s-\(n)")
        }
        // Letter readings with letter corrections (their confusions are counted apart).
        for n in stride(from: 5, to: 2_000, by: 13) {
            var r = records[n]
            r.predicted = ["a", "B", "o", "O", "7"][n % 5]
            try store.upsert(r, uid: r.uid ?? "s-\(n)")
            try store.setActual(uid: r.uid ?? "s-\(n)", actual: ["a", "b", "O", "o", "l"][(n / 5) % 5])
        }
        // The rest through the spool, as a kiosk's replay after an outage.
        let log = DurablePredictionLog(store: store, spoolDirectory: spool)
        for r in records.suffix(500) { try log.upsert(r, uid: r.uid ?? "") }
        for r in records.suffix(500) where (r.uid?.hashValue ?? 0) % 3 == 0 { try log.setActual(uid: r.uid ?? "", actual: "3") }
    }

    /// Equal up to the last bits of the mean, which depends on the order sums are taken in.
    private func assertSame(_ a: AnalyticsReport, _ b: AnalyticsReport, _ what: String, line: UInt = #line) {
        var a = a, b = b
        XCTAssertEqual(a.summary.meanConfidence ?? -1, b.summary.meanConfidence ?? -1, accuracy: 1e-9, what, line: line)
        a.summary.meanConfidence = nil
        b.summary.meanConfidence = nil
        XCTAssertEqual(a, b, what, line: line)
    }

    private func assertRollupsAnswerAsTheScan(_ store: PredictionStore, file: StaticString = #filePath, line: UInt = #line) async throws {
        let records = try store.all()
        for filter in Self.filters() {
            for zone in Self.zones {
                let what = "\(filter) in \(zone.identifier)"
                let rolled = try await store.log.computeReport(filter: filter, lowConfidenceThreshold: 0.5, confusedPairLimit: 10,
                                                               timeZone: zone, clean: nil).report
                let scanned = try await store.log.computeReport(filter: filter, lowConfidenceThreshold: 0.5, confusedPairLimit: 10,
                                                                timeZone: zone, clean: nil, useRollups: false).report
                assertSame(rolled, scanned, "roll-ups vs scan, " + what, line: line)
                assertSame(rolled, Analytics.report(records, filter: filter, timeZone: zone), "roll-ups vs records, " + what, line: line)
                // Percentiles from the histograms, within half a bin.
                let binned = try await store.log.computeReport(filter: filter, lowConfidenceThreshold: 0.5, confusedPairLimit: 10,
                                                               timeZone: zone, clean: nil, exactPercentileLimit: 0).report
                func close(_ a: Double?, _ b: Double?, _ tolerance: Double, _ name: String) {
                    XCTAssertEqual(a == nil, b == nil, name + " " + what, file: file, line: line)
                    if let a, let b { XCTAssertEqual(a, b, accuracy: tolerance, name + " " + what, file: file, line: line) }
                }
                close(binned.summary.medianConfidence, scanned.summary.medianConfidence, 0.005 + 1e-9, "median confidence")
                close(binned.summary.latencyP50Ms, scanned.summary.latencyP50Ms, 0.0101 * (scanned.summary.latencyP50Ms ?? 0) + 0.005, "latency p50")
                close(binned.summary.latencyP95Ms, scanned.summary.latencyP95Ms, 0.0101 * (scanned.summary.latencyP95Ms ?? 0) + 0.005, "latency p95")
                XCTAssertEqual(binned.accuracy, scanned.accuracy, what, file: file, line: line)
            }
        }
    }

    /// The trigger-kept tables hold exactly what a back-fill from the log would.
    private func assertTablesMatchABackfill(_ log: any PredictionLog, line: UInt = #line) async throws {
        let e = RollupExpressions(backend: log.dialect.backend).columns(row: "predictions")
        func rows(_ sql: String) async throws -> [String] {
            try await log.aggregate(sql, filter: LogFilter(), extra: []).map { "\($0.values)" }.sorted()
        }
        let kept = try await rows("""
            SELECT day, device, input_type, predicted, actual, count, correct, low_confidence, latency_count
            FROM rollup_outcomes WHERE count <> 0
            """)
        let fresh = try await rows("""
            SELECT \(e.day), \(e.device), input_type, \(e.predicted), \(e.actual), COUNT(*), SUM(\(e.correct)), SUM(\(e.low)), SUM(\(e.hasLatency))
            FROM predictions GROUP BY 1, 2, 3, 4, 5
            """)
        XCTAssertEqual(kept, fresh, "outcome roll-ups", line: line)
        let slots = try await rows("SELECT slot, device, input_type, labelled, correct FROM rollup_slots WHERE labelled <> 0")
        let freshSlots = try await rows("""
            SELECT \(e.slot), \(e.device), input_type, COUNT(*), SUM(\(e.correct)) FROM predictions
            WHERE digit_actual IS NOT NULL GROUP BY 1, 2, 3
            """)
        XCTAssertEqual(slots, freshSlots, "slot roll-ups", line: line)
        let latency = try await rows("SELECT day, device, input_type, bin, count FROM rollup_histograms WHERE measure = 'latency' AND count <> 0")
        let freshLatency = try await rows("""
            SELECT \(e.day), \(e.device), input_type, \(e.latencyBin), COUNT(*) FROM predictions
            WHERE latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4
            """)
        XCTAssertEqual(latency, freshLatency, "latency histograms", line: line)
    }

    func testSQLiteRollupsAnswerAsTheScanAfterEveryKindOfWrite() async throws {
        let dir = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: dir)
        try fill(store, spool: dir)
        try await assertTablesMatchABackfill(store.log)
        try await assertRollupsAnswerAsTheScan(store)
        // `log copy` into a second log: the same numbers.
        let copy = try PredictionStore(directory: try makeTemporaryDirectory(self))
        _ = try copy.importRecords(try store.all())
        try await assertTablesMatchABackfill(copy.log)
        let a = try copy.report(), b = try store.report()
        assertSame(a, b, "copied log")
    }

    func testPostgreSQLRollupsAnswerAsTheScanAfterEveryKindOfWrite() async throws {
        let url = try PostgresTestServer.freshDatabase(self)
        let store = try PredictionStore(location: .postgres(try PostgresURL(url)))
        try fill(store, spool: try makeTemporaryDirectory(self))
        try await assertTablesMatchABackfill(store.log)
        try await assertRollupsAnswerAsTheScan(store)
    }

    func testLetterConfusionsAreCountedApartFromTheDigits() {
        var records: [PredictionRecord] = []
        for (predicted, actual) in [("o", "O"), ("o", "O"), ("T", "t"), ("7", "1"), ("7", "T"), ("a", "a"), ("ab", "ad"), ("o", nil)] {
            var r = PredictionRecord(inputType: .api, predicted: predicted, confidence: 0.9)
            r.actual = actual
            records.append(r)
        }
        let report = Analytics.report(records)
        XCTAssertEqual(report.mostConfusedCharacters, [CharacterConfusion(actual: "O", predicted: "o", count: 2),
                                                       CharacterConfusion(actual: "T", predicted: "7", count: 1),
                                                       CharacterConfusion(actual: "t", predicted: "T", count: 1)])
        XCTAssertEqual(report.mostConfused, [ConfusedPair(actual: 1, predicted: 7, count: 1)], "digits stay in the matrix")
        XCTAssertEqual(report.accuracy, AccuracySummary(labelled: 7, correct: 1))
        XCTAssertTrue(report.text().contains("Letters confused: O read as o x2, T read as 7 x1, t read as T x1"), report.text())
    }

    func testTheReportReadsTheRollupsForWholeDaysAndTheLogForTheRest() throws {
        let dir = try makeTemporaryDirectory(self)
        let store = try PredictionStore(directory: dir)
        _ = try store.importRecords(SQLAnalyticsTests.sampleRecords())
        let wholeDays = LogFilter(from: Date(timeIntervalSince1970: 1_730_246_400), to: Date(timeIntervalSince1970: 1_730_851_200))
        let partDay = LogFilter(from: Date(timeIntervalSince1970: 1_730_300_000), to: Date(timeIntervalSince1970: 1_730_330_000))
        let before = (try store.report(filter: wholeDays).summary.total, try store.report(filter: partDay).summary.total)
        // Tamper with one roll-up row inside the whole days (never done outside this test).
        let queue = try DatabaseQueue(path: dir + "/numeral.sqlite")
        try queue.write { db in
            try db.execute(sql: """
                UPDATE rollup_outcomes SET count = count + 1000
                WHERE (day, device, input_type, predicted, actual) = (SELECT day, device, input_type, predicted, actual FROM rollup_outcomes
                                                                      WHERE day = 20028 LIMIT 1)
                """)
        }
        XCTAssertEqual(try store.report(filter: wholeDays).summary.total, before.0 + 1000, "whole days come from the roll-ups")
        XCTAssertEqual(try store.report(filter: partDay).summary.total, before.1, "a part day comes from the log")
    }

    func testAnOlderLogIsBackfilledOnceByTheMigration() async throws {
        let dir = try makeTemporaryDirectory(self)
        do {
            let store = try PredictionStore(directory: dir)
            _ = try store.importRecords(SQLAnalyticsTests.sampleRecords())
        }
        // Put the file back as version 8 left it: no roll-ups.
        let queue = try DatabaseQueue(path: dir + "/numeral.sqlite")
        try await queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER rollup_after_insert; DROP TRIGGER rollup_after_update; DROP TRIGGER rollup_after_delete;
                DROP TABLE rollup_outcomes; DROP TABLE rollup_histograms; DROP TABLE rollup_slots;
                DELETE FROM grdb_migrations WHERE identifier = 'v9-rollups'; PRAGMA user_version = 8;
                """)
        }
        try queue.close()
        let store = try PredictionStore(directory: dir)
        try await assertTablesMatchABackfill(store.log)
        let records = try store.all()
        assertSame(try store.report(), Analytics.report(records), "after the back-fill")
    }

    /// What the PDF report reads besides the roll-ups: a confused pair's newest examples and the
    /// first and last record's time, without loading the log.
    func testAPairsExamplesAndTheTimeSpanAreReadWithoutTheLog() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        _ = try store.importRecords(SQLAnalyticsTests.sampleRecords())
        let filter = LogFilter(from: Date(timeIntervalSince1970: 1_730_300_000), to: Date(timeIntervalSince1970: 1_731_000_000))
        let records = try store.all(filter: filter)
        let pair = try XCTUnwrap(try store.report(filter: filter).mostConfused.first)
        let expected = records.filter { $0.actual == "\(pair.actual)" && $0.predicted == "\(pair.predicted)" }.suffix(4).reversed().map(\.uid)
        XCTAssertEqual(try store.read(.mistaken(actual: pair.actual, predicted: pair.predicted), filter: filter, limit: 4).records.map(\.uid),
                       Array(expected))
        let span = try store.timeSpan(filter: filter)
        XCTAssertEqual(span.first, records.first?.timestamp)
        XCTAssertEqual(span.last, records.last?.timestamp)
        let none = try store.timeSpan(filter: LogFilter(device: "nobody"))
        XCTAssertNil(none.first)
        XCTAssertNil(none.last)
    }
}

extension RollupTests {
    /// The CSV export's pages: every record once, in time-then-id order, also when more records
    /// share one millisecond than a page holds, on both backends.
    func testPagesGiveEveryRecordOnceInOrder() async throws {
        var records = SQLAnalyticsTests.sampleRecords(count: 700)
        // 50 records in one millisecond, more than a page.
        for n in 100..<150 { records[n].timestamp = records[100].timestamp }
        var stores = [try PredictionStore(directory: try makeTemporaryDirectory(self))]
        if let base = ProcessInfo.processInfo.environment["NUMERAL_TEST_POSTGRES"], !base.isEmpty {
            stores.append(try PredictionStore(location: .postgres(try PostgresURL(try PostgresTestServer.freshDatabase(self)))))
        }
        for store in stores {
            _ = try store.importRecords(records)
            if case .sqlite(let directory) = store.location {
                // Rows that cannot be read (every fifth, an unknown input type) are left out, not the end of the export.
                try await DatabaseQueue(path: directory + "/numeral.sqlite").write { db in
                    try db.execute(sql: "UPDATE predictions SET input_type = 'bogus' WHERE id % 5 = 0")
                }
            }
            for filter in [LogFilter(), LogFilter(from: records[90].timestamp, to: records[400].timestamp, device: "kiosk-2")] {
                let expected = try store.all(filter: filter, includePayload: false).map(\.uid)
                var paged: [String?] = []
                var pages = 0
                try await store.log.forEachPage(filter: filter, pageSize: 16, includePayload: false) { page in
                    paged += page.map(\.uid)
                    pages += 1
                }
                XCTAssertEqual(paged, expected, "\(store.path) \(filter)")
                XCTAssertGreaterThan(pages, expected.count / 32, "read a page at a time")
            }
        }
    }
}
