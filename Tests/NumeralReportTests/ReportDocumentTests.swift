import Foundation
import NumeralRecognition
@testable import NumeralReport
import NumeralStore
import NumeralVision
import XCTest

/// The PDF report: two pages of the asked paper size, the analytics' numbers in its text, and no
/// text leaving its box or the page's margins (checked in the layout and in the PDF itself).
final class ReportDocumentTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A log over ten days: mostly right, some 4s read as 9s and 7s read as 1s, with inputs.
    private func store() throws -> PredictionStore {
        // A deep folder so the log's path is too long for its line and must be shortened.
        let dir = directory.appendingPathComponent(String(repeating: "a-rather-long-folder-name/", count: 6)).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try PredictionStore(directory: dir)
        var records: [PredictionRecord] = []
        let start = Date(timeIntervalSince1970: 1_763_000_000)
        for i in 0..<400 {
            let actual = i % 10
            var predicted = actual
            if actual == 4 && i % 3 == 0 { predicted = 9 }
            if actual == 7 && i % 3 == 1 { predicted = 1 }
            var input = [UInt8](repeating: 0, count: 784)
            for y in 5..<23 { input[y * 28 + 10 + actual] = 255 }
            records.append(PredictionRecord(timestamp: start.addingTimeInterval(Double(i) * 2_000), inputType: i % 5 == 0 ? .upload : .canvas,
                                            predicted: String(predicted), confidence: 0.5 + Double(i % 50) / 100,
                                            actual: i % 8 == 0 ? nil : String(actual), modelVersion: "m1",
                                            latencyMs: 0.4 + Double(i % 7) / 10, input: input))
        }
        _ = try store.importRecords(records)
        return store
    }

    private func shell(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        do { try p.run() } catch { throw XCTSkip("\(args[0]) is not installed (poppler-utils): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            if p.terminationStatus == 127 { throw XCTSkip("\(args[0]) is not installed (poppler-utils)") }
            XCTFail("\(args) exited with \(p.terminationStatus)")
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A "Name:   value" line of pdfinfo's output.
    private func field(_ name: String, in info: String) -> String? {
        info.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    private func content(filter: LogFilter = LogFilter()) throws -> ReportContent {
        let shipped = Self.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path
        return try ReportContent.gather(store: try store(), filter: filter, modelPath: shipped)
    }

    func testTwoPagesOfTheAskedPaperWithTheAnalyticsNumbers() throws {
        let filter = LogFilter(inputType: .canvas)
        let c = try content(filter: filter)
        XCTAssertEqual(c.analytics.summary.total, 320)
        for paper in Paper.allCases {
            let path = directory.appendingPathComponent("report-\(paper.rawValue).pdf").path
            try ReportDocument(paper: paper).write(c, to: path)
            let info = try shell(["pdfinfo", path])
            XCTAssertEqual(field("Pages", in: info), "2")
            XCTAssertEqual(field("Page size", in: info), paper == .a4 ? "595.276 x 841.89 pts (A4)" : "612 x 792 pts (letter)")
            let text = try shell(["pdftotext", "-layout", path, "-"])
            let a = c.analytics
            let expected = [
                "\(a.accuracy.correct) of \(a.accuracy.labelled) predictions with feedback were right",
                String(format: "%.2f %%", a.accuracy.accuracy! * 100),
                "input type: canvas",
                "\(a.summary.total)", "\(a.summary.labelled)",
                String(format: "%.2f %%", a.summary.meanConfidence! * 100),
                "Drawn 4, read as 9", "Drawn 7, read as 1",
                "mnist-20261122-052311-9b15", "99.65 %",
            ]
            for e in expected { XCTAssertTrue(text.contains(e), "\(paper): missing \(e)") }
            for p in a.mostConfused { XCTAssertTrue(text.contains("\(p.actual) read as \(p.predicted)")) }
        }
    }

    func testEveryTextStaysInItsBoxAndInsideTheMargins() throws {
        let c = try content()
        for paper in Paper.allCases {
            let path = directory.appendingPathComponent("report-\(paper.rawValue).pdf").path
            let canvas = try ReportDocument(paper: paper).write(c, to: path)
            XCTAssertGreaterThan(canvas.placedText.count, 80)
            XCTAssertEqual(Set(canvas.placedText.map(\.page)), [1, 2])
            // The long log path had to be shortened to fit.
            XCTAssertTrue(canvas.placedText.contains { $0.text.hasPrefix("/") && $0.text.hasSuffix("…") })
            let inner = CairoCanvas.Rect(x: 30, y: 30, width: paper.width - 60, height: paper.height - 48)
            for t in canvas.placedText {
                XCTAssertTrue(t.box.contains(t.extent), "\(paper) \"\(t.text)\" leaves its box: \(t.extent) vs \(t.box)")
                XCTAssertTrue(inner.contains(t.extent), "\(paper) \"\(t.text)\" leaves the margins: \(t.extent)")
            }
            // The same in the PDF as poppler reads it: every word's box inside the page's margins.
            let bbox = try shell(["pdftotext", "-bbox", path, "-"])
            let words = bbox.split(separator: "\n").filter { $0.contains("<word ") }
            XCTAssertGreaterThan(words.count, 150)
            for w in words {
                func value(_ key: String) -> Double {
                    guard let r = w.range(of: "\(key)=\"") else { return .nan }
                    return Double(w[r.upperBound...].prefix { $0 != "\"" }) ?? .nan
                }
                let (x0, y0, x1, y1) = (value("xMin"), value("yMin"), value("xMax"), value("yMax"))
                XCTAssertTrue(x0 >= 30 && y0 >= 30 && x1 <= paper.width - 30 && y1 <= paper.height - 12, "\(paper): \(w)")
            }
        }
    }

    func testFirstPagePictureIsNotBlank() throws {
        let path = directory.appendingPathComponent("report.pdf").path
        try ReportDocument(paper: .a4).write(try content(), to: path)
        let prefix = directory.appendingPathComponent("page").path
        _ = try shell(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", path, prefix])
        let picture = try PNGCodec.decode(path: prefix + ".png")
        XCTAssertEqual(picture.width, 331)   // 595.276 pt at 40 dpi
        XCTAssertEqual(picture.height, 468)
        let marked = stride(from: 0, to: picture.rgba.count, by: 4).filter { picture.rgba[$0] < 200 || picture.rgba[$0 + 2] < 200 }.count
        XCTAssertGreaterThan(marked, 5_000, "the first page should have text and charts on it")
    }

    func testAnEmptyPeriodStillMakesAReadableReport() throws {
        let filter = LogFilter(from: Date(timeIntervalSince1970: 1_900_000_000))
        let c = try content(filter: filter)
        XCTAssertEqual(c.analytics.summary.total, 0)
        let path = directory.appendingPathComponent("empty.pdf").path
        try ReportDocument().write(c, to: path)
        let text = try shell(["pdftotext", path, "-"])
        XCTAssertTrue(text.contains("no feedback yet"))
        XCTAssertTrue(text.contains("No mistakes with feedback"))
    }

    func testAMissingFolderIsAClearError() throws {
        let path = directory.appendingPathComponent("no/such/folder/r.pdf").path
        XCTAssertThrowsError(try ReportDocument().write(try content(), to: path)) {
            XCTAssertTrue(String(describing: $0).contains("does not exist"), "\($0)")
        }
    }
}
