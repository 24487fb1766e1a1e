import Foundation
import XCTest
@testable import NumeralStore

/// `importRecords` on PostgreSQL (batched multi-row INSERTs) keeps SQLite's duplicate rule,
/// its progress reports and its idempotence.
final class PostgresImportTests: XCTestCase {
    /// 1,300 records: with uids, without (as seed CSVs and old logs have), and repeats of both.
    private func records() -> [PredictionRecord] {
        var records = SQLAnalyticsTests.sampleRecords(count: 1_200)
        for n in stride(from: 0, to: 1_200, by: 3) { records[n].uid = nil }
        records += (0..<50).map { records[$0 * 7] }                       // repeats, with and without uid
        records += (0..<50).map { n -> PredictionRecord in               // a new uid-less record, then the same again
            var r = SQLAnalyticsTests.sampleRecords(count: 1, seed: UInt64(100 + n / 2))[0]
            r.uid = nil
            r.timestamp = Date(timeIntervalSince1970: 1_800_000_000 + Double(n / 2))
            return r
        }
        return records
    }

    func testABatchedImportSkipsWhatSQLiteSkipsAndIsIdempotent() throws {
        let pg = try PredictionStore(location: .postgres(try PostgresURL(try PostgresTestServer.freshDatabase(self))))
        let sqlite = try PredictionStore(directory: try makeTemporaryDirectory(self))
        // One row already logged, without uid, that an imported uid-less record repeats.
        var existing = records()[3]
        existing.uid = nil
        try pg.record(existing)
        try sqlite.record(existing)

        var progress: [Int] = []
        let onPG = try pg.importRecords(records(), chunkSize: 600) { progress.append($0) }
        let onSQLite = try sqlite.importRecords(records(), chunkSize: 600)
        XCTAssertEqual(onPG.imported, onSQLite.imported)
        XCTAssertEqual(onPG.duplicates, onSQLite.duplicates)
        XCTAssertEqual(onPG.imported, 1_200 - 1 + 25, "each record once, the uid-less repeat of the logged row skipped")
        XCTAssertEqual(progress, [600, 1_200, 1_300])
        func rows(_ store: PredictionStore) throws -> [PredictionRecord] {
            try store.all().map { var r = $0; r.id = nil; return r }.sorted { ($0.timestamp, $0.uid ?? "") < ($1.timestamp, $1.uid ?? "") }
        }
        XCTAssertEqual(try rows(pg), try rows(sqlite))

        let again = try pg.importRecords(records(), chunkSize: 600)
        XCTAssertEqual(again.imported, 0, "importing again adds nothing")
        XCTAssertEqual(again.duplicates, 1_300)
        XCTAssertEqual(try pg.count(filter: LogFilter()), 1_200 + 25)
    }
}
