import Foundation
import XCTest
@testable import NumeralVision

/// Files and drawings from outside are data: bounded work, readable errors.
final class HostileInputTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try makeScratchDirectory(self) }

    private func reason(of json: String) throws -> String {
        let path = dir.appendingPathComponent("d\(UUID().uuidString.prefix(6)).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        guard case let .failure(.invalidDrawingJSON(nil, reason))? = try DrawingFile.read(path: path).first else {
            XCTFail("\(json) was accepted")
            return ""
        }
        return reason
    }

    func testDrawingErrorsNameTheFieldWithoutSwiftTypes() throws {
        let cases = [
            (#"{"strokes": 5}"#, #""strokes" should be a list [...], not a number"#),
            (#"{"strokes": {"a": 1}}"#, #""strokes" should be a list [...], not an object"#),
            (#"{"strokes": [[1, 2]]}"#, #""strokes[0][0]" should be a list [...], not a number"#),
            (#"{"stroke": []}"#, #""strokes" is missing"#),
            (#"{"strokes": [[[1, 2]]], "label": "seven"}"#, #""label": a label is a whole number or one character (a letter), not "seven""#),
            (#"{"strokes": [[[1, 2]]], "label": [7]}"#, #""label" should be a whole number, not a list"#),
            (#"{"strokes": [[[1, 2]]], "label": 1e30}"#, "a number in it is out of range, or a fraction where a whole number is needed"),
            (#"{"strokes": [[[1, 2]]"#, "the text is not valid JSON (Unexpected end of file during JSON parse)"),
            (#"{"strokes": [[[1, 2], [3]]]}"#, "stroke 1, point 2 needs [x, y] numbers"),
        ]
        for (json, expected) in cases {
            let text = try reason(of: json)
            XCTAssertEqual(text, expected, json)
            for bad in ["Array<", "DecodingError", "unkeyed", "Swift"] { XCTAssertFalse(text.contains(bad), text) }
        }
    }

    func testAFolderNamedLikeAPictureIsAReadableError() throws {
        let folder = dir.appendingPathComponent("x.png").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        XCTAssertThrowsError(try PNGCodec.decode(path: folder)) {
            XCTAssertEqual("\($0)", "Cannot read picture \(folder): it is a folder, not a file.")
        }
    }

    func testAFolderNamedLikeAnIDXFileIsAReadableError() throws {
        let folder = dir.appendingPathComponent("t10k-images-idx3-ubyte").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        XCTAssertThrowsError(try IDXReader.readImages(path: folder)) {
            XCTAssertEqual("\($0)", "Cannot read IDX file \(folder): it is a folder, not a file; put the MNIST file there "
                + "(`numeral data fetch`) or pass another --data folder.")
        }
    }

    // MARK: segmentation is bounded and linear

    private func strokes(_ count: Int, step: Double, pointsEach: Int = 2) -> Drawing {
        Drawing(strokes: (0..<count).map { i in
            let x = Double(i) * step
            return Stroke(points: (0..<pointsEach).map { StrokePoint(x: x + Double($0), y: Double($0 * 40)) })
        })
    }

    func testEightThousandOverlappingStrokesBecomeOneDigitQuickly() throws {
        // 8,000 strokes side by side, each overlapping the next, chain into one digit in one sweep.
        let start = Date()
        let parts = try DrawingSegmenter().segment(strokes(8_000, step: 0.5))
        XCTAssertEqual(parts.count, 1)
        XCTAssertEqual(parts[0].strokes.count, 8_000)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "a hang guard, not a speed target")
    }

    func testTooManyDigitsAreRefusedWithAMessage() throws {
        // The issue's drawing: 8,000 separate strokes side by side were recognized as an 8,000-digit
        // number, which took 17 s.
        XCTAssertThrowsError(try DrawingSegmenter().segment(strokes(8_000, step: 50))) {
            XCTAssertEqual($0 as? VisionError, .tooManyDigits(count: 8_000, limit: DrawingSegmenter.maxDigits))
            XCTAssertTrue("\($0)".contains("splits into 8000 separate digits; at most 100"), "\($0)")
        }
        XCTAssertEqual(try DrawingSegmenter().segment(strokes(DrawingSegmenter.maxDigits, step: 50)).count, DrawingSegmenter.maxDigits)
    }

    func testTooManyPointsAreRefusedBeforeAnyWork() throws {
        let huge = strokes(100_000, step: 0.5)
        let start = Date()
        XCTAssertThrowsError(try DrawingSegmenter().segment(huge)) {
            XCTAssertEqual($0 as? VisionError, .tooManyPoints(count: 200_000, limit: Drawing.maxPoints))
        }
        XCTAssertThrowsError(try DrawingNormalizer().normalize(huge)) {
            XCTAssertEqual($0 as? VisionError, .tooManyPoints(count: 200_000, limit: Drawing.maxPoints))
        }
        XCTAssertThrowsError(try huge.validate())
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "a hang guard, not a speed target")
        XCTAssertNoThrow(try strokes(Drawing.maxPoints / 2, step: 0.5).validate())
    }

    /// The merge before the sweep: merge overlapping groups until nothing changes (quadratic).
    private func referenceSegment(_ drawing: Drawing, _ s: DrawingSegmenter) -> [[Stroke]] {
        struct G { var minX: Double; var maxX: Double; var ids: [Int] }
        let ys = drawing.strokes.flatMap { $0.points.map(\.y) }, xs = drawing.strokes.flatMap { $0.points.map(\.x) }
        guard let minY = ys.min(), let maxY = ys.max(), let minX = xs.min(), let maxX = xs.max() else { return [] }
        let height = maxY / 2 - minY / 2
        let scale = height > 0 ? height * 2 : (maxX / 2 - minX / 2) * 2
        let pad = s.extentPadding * scale
        var groups = drawing.strokes.enumerated().compactMap { i, st -> G? in
            guard let lo = st.points.map(\.x).min(), let hi = st.points.map(\.x).max() else { return nil }
            return G(minX: lo - pad, maxX: hi + pad, ids: [i])
        }.sorted { $0.minX < $1.minX }
        func significant(_ a: G, _ b: G) -> Bool {
            let overlap = min(a.maxX, b.maxX) - max(a.minX, b.minX)
            guard overlap >= 0 else { return false }
            let narrower = min(a.maxX - a.minX, b.maxX - b.minX)
            return narrower == 0 || overlap >= s.minimumOverlap * narrower
        }
        var merged = true
        while merged {
            merged = false
            var i = 0
            while i < groups.count {
                var j = i + 1
                while j < groups.count, groups[j].minX < groups[i].maxX {
                    if significant(groups[i], groups[j]) {
                        let g = groups.remove(at: j)
                        groups[i].minX = min(groups[i].minX, g.minX); groups[i].maxX = max(groups[i].maxX, g.maxX)
                        groups[i].ids += g.ids
                        merged = true
                    } else { j += 1 }
                }
                i += 1
            }
        }
        return groups.map { $0.ids.sorted().map { drawing.strokes[$0] } }
    }

    func testTheLinearSweepSplitsPenDigitsAndRowsExactlyAsBefore() throws {
        let samples = try PenDigitsFixture.samples()
        let segmenter = DrawingSegmenter()
        var generator = SplitMix64(seed: 12)
        var differences = 0, rows = 0
        for sample in samples {
            if try segmenter.segment(sample.drawing).map(\.strokes) != referenceSegment(sample.drawing, segmenter) { differences += 1 }
        }
        for _ in 0..<1_000 {
            let digits = (0..<Int.random(in: 2...6, using: &generator)).map { _ in samples[Int.random(in: 0..<samples.count, using: &generator)].drawing }
            let (row, _) = DrawingSegmenterTests.row(digits, gap: Double.random(in: -0.1...0.3, using: &generator))
            rows += 1
            if try segmenter.segment(row).map(\.strokes) != referenceSegment(row, segmenter) { differences += 1 }
        }
        XCTAssertEqual(differences, 0, "of \(samples.count) pen digits and \(rows) rows (some touching)")
    }
}
