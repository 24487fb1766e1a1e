import Foundation
import NumeralVision
import XCTest
@testable import NumeralStore

final class LogCSVTests: XCTestCase {
    /// Records whose text fields need every kind of CSV quoting.
    private func awkwardRecords() -> [PredictionRecord] {
        var first = fullRecord("2024-03-01T10:00:00.123Z")
        first.modelVersion = "v1, \"quoted\"\nsecond line\r\nthird – ünïcødé 数字 🖊"
        var second = fullRecord("2024-03-01T10:00:01Z", predicted: "2024", actual: nil, confidence: 1e-7)
        second.input = [UInt8](repeating: 255, count: 784 * 4)
        second.latencyMs = nil
        second.inputType = .api
        second.drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: 0.1, y: 1e-300)])], label: nil)
        let third = PredictionRecord(timestamp: date("1999-12-31T23:59:59.999Z"), inputType: .upload,
                                     predicted: "0", confidence: 0, modelVersion: " leading and trailing ")
        return [first, second, third]
    }

    func testExportImportRoundTripKeepsEveryValue() throws {
        let source = try PredictionStore(directory: try makeTemporaryDirectory(self))
        for record in awkwardRecords() { try source.record(record) }
        let csv = try makeTemporaryDirectory(self) + "/log.csv"
        XCTAssertEqual(try LogCSV.export(from: source, toFile: csv).written, 3)

        let target = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let report = try LogCSV.importCSV(fromFile: csv, into: target)
        XCTAssertEqual(report, ImportReport(imported: 3, skippedDuplicates: 0, errors: []))
        XCTAssertSameRecordsIgnoringIDs(try target.all(), try source.all())
    }

    func testFormulaCellsAreNeutralizedOnExportAndRestoredOnImport() throws {
        let hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1", "'=already quoted", "'plain", "ok"]
        let source = try PredictionStore(directory: try makeTemporaryDirectory(self))
        for (index, model) in hostile.enumerated() {
            try source.record(PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                                               inputType: .canvas, predicted: "1", confidence: 0.5, modelVersion: model))
        }
        let text = try LogCSV.csvText(try source.all())
        let rows = CSVCodec.records(Array(text.utf8)).dropFirst()
        for row in rows {
            let cell = row.fields[5]
            XCTAssertFalse(["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""),
                           "a spreadsheet would run \(cell.debugDescription)")
        }
        XCTAssertEqual(rows.map { $0.fields[5] }.first, "'=cmd|' /C calc'!A0")
        let target = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let report = try LogCSV.importCSV(bytes: Array(text.utf8), source: "x.csv", into: target)
        XCTAssertEqual(report.imported, hostile.count)
        XCTAssertEqual(try target.all().map(\.modelVersion), hostile, "the round trip is exact")
    }

    func testExportStartsWithTheSeedColumnsAndQuotesPerRFC4180() throws {
        let records = awkwardRecords().enumerated().map { index, record -> PredictionRecord in
            var record = record
            record.id = Int64(index + 1)
            return record
        }
        let text = try LogCSV.csvText(records)
        XCTAssertTrue(text.hasPrefix("timestamp,input_type,digit_predicted,confidence,digit_actual,"
            + "model_version,latency_ms,top3,input,drawing,id,uid,device,client\r\n"))
        let rows = CSVCodec.records(Array(text.utf8))
        XCTAssertEqual(rows.count, 4)
        XCTAssertTrue(rows.allSatisfy { $0.fields.count == 14 && $0.problem == nil })
        XCTAssertEqual(rows[1].fields[5], records[0].modelVersion, "commas, quotes, line breaks and unicode survive")
        XCTAssertEqual(rows[1].fields.prefix(5), ["2024-03-01T10:00:00.123Z", "canvas", "7", "0.8125", "1"])
        XCTAssertEqual(rows[2].fields[3], "1e-07")
        XCTAssertEqual(rows[2].fields[4], "", "no feedback is an empty field")
        XCTAssertEqual(rows[3].line, 6, "the first record spans lines 2-4")
        // The JSON and base64 columns are always quoted.
        XCTAssertTrue(text.contains(",\"[{\"\"digit\"\":7,\"\"probability\"\":0.8125},"), text)
        XCTAssertEqual(Data(base64Encoded: rows[1].fields[8]).map { [UInt8]($0) }, records[0].input)
    }

    func testImportIsIdempotent() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        for record in awkwardRecords() { try store.record(record) }
        let csv = try makeTemporaryDirectory(self) + "/log.csv"
        try LogCSV.export(from: store, toFile: csv)
        let before = try store.changeToken()
        XCTAssertEqual(try LogCSV.importCSV(fromFile: csv, into: store),
                       ImportReport(imported: 0, skippedDuplicates: 3, errors: []), "the export of this same log")
        XCTAssertEqual(try store.changeToken(), before, "nothing written")

        let other = try PredictionStore(directory: try makeTemporaryDirectory(self))
        XCTAssertEqual(try LogCSV.importCSV(fromFile: csv, into: other).imported, 3)
        XCTAssertEqual(try LogCSV.importCSV(fromFile: csv, into: other).skippedDuplicates, 3)
        XCTAssertEqual(try other.count(), 3)
    }

    func testImportsSeedFiveColumnCSV() throws {
        // As the seed app and pandas write it: space-separated times, float labels with
        // gaps as "nan" or empty, LF line ends, a BOM, a blank line, and a duplicate row.
        let seed = "\u{FEFF}timestamp,input_type,digit_predicted,confidence,digit_actual\n"
            + "2024-01-05 13:45:10,canvas,7,0.98,7.0\n"
            + "2024-01-05 13:46:10.250000,Upload,1,0.45,nan\n"
            + "\n"
            + "2024-01-06T09:00:00Z,canvas,3,0.99,\n"
            + "2024-01-06T10:00:00+02:00,camera,8.0,0.5,3\n"
            + "2024-01-05 13:45:10,canvas,7,0.98,7.0\n"
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let report = try LogCSV.importCSV(bytes: Array(seed.utf8), source: "seed.csv", into: store)
        XCTAssertEqual(report, ImportReport(imported: 4, skippedDuplicates: 1, errors: []))
        let records = try store.all()
        XCTAssertEqual(records.map(\.timestamp), [date("2024-01-05T13:45:10Z"), date("2024-01-05T13:46:10.25Z"),
                                                  date("2024-01-06T08:00:00Z"), date("2024-01-06T09:00:00Z")])
        XCTAssertEqual(records.map(\.inputType), [.canvas, .upload, .camera, .canvas])
        XCTAssertEqual(records.map(\.predicted), ["7", "1", "8", "3"])
        XCTAssertEqual(records.map(\.actual), ["7", nil, "3", nil])
        XCTAssertEqual(records.map(\.modelVersion), Array(repeating: "unknown", count: 4))
        XCTAssertTrue(records.allSatisfy { $0.latencyMs == nil && $0.input == nil && $0.top3.isEmpty })
    }

    func testBadRowsAreReportedByLineAndGoodRowsKept() throws {
        let csv = "timestamp,input_type,digit_predicted,confidence,digit_actual,model_version\r\n"
            + "2024-01-01T00:00:00Z,canvas,1,0.9,1,\"multi\r\nline, model\"\r\n"   // lines 2-3, good
            + "2024-01-01T00:00:01Z,canvas,2,NaN,2,m\r\n"                           // 4: NaN confidence
            + "yesterday,canvas,3,0.9,3,m\r\n"                                      // 5: bad timestamp
            + "2024-01-01T00:00:03Z,pencil,4,0.9,4,m\r\n"                           // 6: unknown input type
            + "2024-01-01T00:00:04Z,canvas,5,0.9\r\n"                               // 7: too few fields
            + "2024-01-01T00:00:05Z,canvas,six!,0.9,6,m\r\n"                        // 8: not digits or letters
            + "2024-01-01T00:00:06Z,canvas,7,0.9,7,m\"x\r\n"                        // 9: stray quote
            + "2024-01-01T00:00:07Z,canvas,8,0.7,,m\r\n"                            // 10: good
            + "2024-01-01T00:00:08Z,canvas,9,0.9,9,\"never closed\r\n"              // 11: unterminated
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        let report = try LogCSV.importCSV(bytes: Array(csv.utf8), source: "bad.csv", into: store)
        XCTAssertEqual(report.imported, 2)
        XCTAssertEqual(report.skippedDuplicates, 0)
        XCTAssertEqual(report.errors.map(\.line), [4, 5, 6, 7, 8, 9, 11])
        let messages = report.errors.map(\.message)
        XCTAssertTrue(messages[0].contains("confidence nan"), messages[0])
        XCTAssertTrue(messages[1].contains("timestamp \"yesterday\""), messages[1])
        XCTAssertTrue(messages[2].contains("pencil") && messages[2].contains("canvas, upload, camera, api"), messages[2])
        XCTAssertTrue(messages[3].contains("4 field(s)") && messages[3].contains("names 6"), messages[3])
        XCTAssertTrue(messages[4].contains("\"six!\""), messages[4])
        XCTAssertTrue(messages[5].contains("double quote"), messages[5])
        XCTAssertTrue(messages[6].contains("never closed"), messages[6])
        XCTAssertEqual(try store.all().map(\.modelVersion), ["multi\r\nline, model", "m"])
        XCTAssertTrue(report.description.contains("line 4: "), report.description)
    }

    func testWholeFileProblems() throws {
        let store = try PredictionStore(directory: try makeTemporaryDirectory(self))
        XCTAssertThrowsError(try LogCSV.importCSV(bytes: Array("time,input_type,digit_predicted\n".utf8), source: "x.csv", into: store)) {
            XCTAssertEqual($0 as? LogCSVError, .missingColumns(path: "x.csv", columns: ["timestamp", "confidence"]))
            XCTAssertTrue(String(describing: $0).contains("timestamp,input_type,digit_predicted,confidence"))
        }
        XCTAssertThrowsError(try LogCSV.importCSV(bytes: [], source: "empty.csv", into: store)) {
            XCTAssertEqual($0 as? LogCSVError, .noHeader(path: "empty.csv"))
        }
        XCTAssertThrowsError(try LogCSV.importCSV(fromFile: "/nonexistent/log.csv", into: store)) {
            guard case .cannotRead("/nonexistent/log.csv", _)? = $0 as? LogCSVError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try LogCSV.export([fullRecord()], toFile: "/nonexistent/dir/out.csv")) {
            guard case .cannotWrite("/nonexistent/dir/out.csv", _)? = $0 as? LogCSVError else { return XCTFail("\($0)") }
        }
    }

    func testExportReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/out.csv"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try LogCSV.export([fullRecord()], toFile: path)
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("timestamp,"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["out.csv"])
    }

    func testCSVCodecReadsRFC4180() {
        let text = "a,\"b \"\"quoted\"\"\",\"multi\r\nline\",,\"\"\r\n\r\nlast,row"
        let rows = CSVCodec.records(Array(text.utf8))
        XCTAssertEqual(rows.map(\.fields), [["a", "b \"quoted\"", "multi\r\nline", "", ""], ["last", "row"]])
        XCTAssertEqual(rows.map(\.line), [1, 4])
        XCTAssertTrue(rows.allSatisfy { $0.problem == nil })
        XCTAssertEqual(CSVCodec.field("plain"), "plain")
        XCTAssertEqual(CSVCodec.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVCodec.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVCodec.field("x", alwaysQuote: true), "\"x\"")
        XCTAssertEqual(CSVCodec.records(Array("a\rb\n".utf8)).map(\.fields), [["a"], ["b"]], "lone CR ends a record")
    }
}

extension LogCSVTests {
    /// The parser fed a chunk at a time (down to one byte) reads exactly what it reads at once:
    /// a chunk may end inside a quoted field, between a quote and its double, or a CR and its LF.
    func testChunkedParsingReadsWhatWholeParsingReads() {
        let texts = [
            "\u{FEFF}a,b\r\n\"x,\"\"y\"\"\",2\r\n\r\n\"multi\r\nline\",3\rlone,cr\n",
            "h\n\"unterminated,1\n",
            "a,b\n\"bad\"quote,1\nplain,2",
            "\u{FEFF}",
            "",
        ]
        func key(_ r: CSVCodec.Record) -> String { "\(r.line)|\(r.fields)|\(r.problem ?? "")" }
        for text in texts {
            let bytes = Array(text.utf8)
            let whole = CSVCodec.records(bytes).map(key)
            for size in [1, 2, 3, 5, 7] {
                var parser = CSVParser()
                var chunked: [String] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + size)
                    parser.parse(bytes[start..<end], isLast: false) { chunked.append(key($0)) }
                    start = end
                }
                parser.parse([][...], isLast: true) { chunked.append(key($0)) }
                XCTAssertEqual(chunked, whole, "\(text.debugDescription) in chunks of \(size)")
            }
        }
    }

    /// A file imported in small batches gives what one batch gives, errors by line included.
    func testAFileIsImportedInBatches() throws {
        let dir = try makeTemporaryDirectory(self)
        let csv = dir + "/log.csv"
        try LogCSV.export(SQLAnalyticsTests.sampleRecords(count: 300), toFile: csv)
        var text = try String(contentsOfFile: csv, encoding: .utf8)
        text += "2024-01-01T00:00:00.000Z,canvas,7,not-a-number\r\n"
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let batched = try PredictionStore(directory: dir + "/a")
        let report = try LogCSV.importCSV(fromFile: csv, into: batched, batchSize: 7)
        XCTAssertEqual(report.imported, 300)
        XCTAssertEqual(report.errors.map(\.line), [302])
        let again = try LogCSV.importCSV(fromFile: csv, into: batched, batchSize: 7)
        XCTAssertEqual(again.imported, 0)
        XCTAssertEqual(again.skippedDuplicates, 300)
        let whole = try PredictionStore(directory: dir + "/b")
        _ = try LogCSV.importCSV(bytes: Array(text.utf8), source: csv, into: whole)
        XCTAssertEqual(try batched.all().map(\.uid), try whole.all().map(\.uid))
        let empty = dir + "/empty.csv"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LogCSV.importCSV(fromFile: empty, into: batched)) { XCTAssertTrue("\($0)".contains("must name the columns"), "\($0)") }
    }
}
