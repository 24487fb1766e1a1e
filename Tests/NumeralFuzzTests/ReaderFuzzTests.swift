import CZlib
import Foundation
import NumeralEngine
import NumeralRecognition
import NumeralStore
import NumeralVision
import XCTest

/// A seeded mutation fuzzer over every reader of files from outside: PNG pictures, drawings
/// (JSON and JSON Lines), safetensors weights, model cards, log CSV and IDX data. About a minute
/// in all by default (see `FuzzSettings`); it must find no crash, no hang and no message with
/// programmer's text. Every reader runs its whole path, as the program would use what it read.
final class ReaderFuzzTests: XCTestCase {
    private static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    // MARK: seeds

    /// A small valid model: its card and weights.
    private static let smallModel: (card: ModelCard, cardJSON: [UInt8], weights: [UInt8]) = {
        let card = ModelCard(id: "fuzz-small", created: Date(timeIntervalSince1970: 1_700_000_000),
                             architecture: DigitArchitecture(stages: [[4], [6]], kernelSize: 3, dropout: 0.1),
                             metrics: ["mnistTestAccuracy": 0.5])
        let model = DigitModel(card: card)
        let path = scratch.appendingPathComponent("small.safetensors").path
        try! model.save(weightsPath: path)
        return (card, [UInt8](try! Data(contentsOf: URL(fileURLWithPath: DigitModel.cardPath(forWeights: path)))),
                [UInt8](try! Data(contentsOf: URL(fileURLWithPath: path))))
    }()

    private static var shippedCard: [UInt8] {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [UInt8]((try? Data(contentsOf: repo.appendingPathComponent("Models/mnist-cnn.json"))) ?? Data())
    }

    private static func digitPicture(width: Int, height: Int) -> [UInt8] {
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for y in height / 5..<height * 4 / 5 {
            for x in width / 2 - max(1, width / 12)...width / 2 + max(1, width / 12) {
                for c in 0..<3 { rgba[(y * width + x) * 4 + c] = 20 }
            }
        }
        return rgba
    }

    private static func pngSeeds() throws -> [[UInt8]] {
        var seeds = [try PNGCodec.encodeRGBA(width: 12, height: 16, rgba: digitPicture(width: 12, height: 16)),
                     try PNGCodec.encodeRGBA(width: 40, height: 28, rgba: digitPicture(width: 40, height: 28))]
        let ink = (0..<28 * 28).map { i -> Float in (i % 28 > 12 && i % 28 < 16 && i / 28 > 4 && i / 28 < 24) ? 1 : 0 }
        seeds.append(try PNGCodec.encodeGray(GrayImage(width: 28, height: 28, pixels: ink), invert: true))
        return seeds
    }

    private static let drawingSeeds: [[UInt8]] = [
        #"{"strokes": [[[30, 40], [170, 40], [100, 220]], [[60, 130], [140, 130]]]}"#,
        #"{"strokes": [[[100, 30, 0.5, 0.0], [100, 230, 0.7, 0.25]]], "width": 280, "height": 280, "label": 1}"#,
        #"{"strokes": [[[0, 0], [10, 0], [4, 20]], [[30, 0], [30, 20]], [[50, 0], [60, 10], [50, 20], [60, 20]]], "width": 100, "height": 40}"#,
        "{\"strokes\": [[[1, 2], [3, 4]]], \"label\": 3}\n{\"strokes\": [[[5, 6]]]}\n\n{\"strokes\": [[[0, 0], [0, 50]], [[20, 0], [20, 50]]]}\n",
    ].map { Array($0.utf8) }

    private static func csvSeeds() throws -> [[UInt8]] {
        let drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: 1, y: 2), StrokePoint(x: 3, y: 40)])], width: 280, height: 280)
        let records = [
            PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_709_287_200.123), inputType: .canvas, predicted: "7", confidence: 0.8125,
                             top3: [DigitProbability(digit: 7, probability: 0.8125), DigitProbability(digit: 1, probability: 0.1)],
                             actual: "1", modelVersion: "model, \"quoted\"\nline", latencyMs: 0.5,
                             input: [UInt8](repeating: 9, count: 784), drawing: drawing),
            PredictionRecord(timestamp: Date(timeIntervalSince1970: 1_709_287_300), inputType: .upload, predicted: "42", confidence: 1e-7),
        ]
        return [Array(try LogCSV.csvText(records).utf8),
                Array("timestamp,input_type,digit_predicted,confidence,digit_actual\n2024-01-05 13:45:10,canvas,7,0.98,7.0\n2024-01-06T09:00:00Z,upload,3,0.99,\n".utf8)]
    }

    private static func idx(magic: UInt32, dims: [UInt32], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        for v in [magic] + dims { bytes += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        return bytes + payload
    }

    private static func gzip(_ bytes: [UInt8], to path: String) {
        guard let file = gzopen(path, "wb") else { return }
        _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        gzclose(file)
    }

    private static var idxSeeds: [[UInt8]] {
        let images = idx(magic: 0x803, dims: [3, 28, 28], payload: (0..<3 * 784).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        let labels = idx(magic: 0x801, dims: [3], payload: [1, 7, 9])
        let path = scratch.appendingPathComponent("seed.gz").path
        gzip(images, to: path)
        let compressed = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        return [images, labels, compressed]
    }

    /// Recomputes every chunk's CRC (and restores the signature), so libpng looks past them.
    static func repairingPNGChecksums(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 8 else { return bytes }
        bytes.replaceSubrange(0..<8, with: signature)
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 8 + length
            guard length >= 0, end + 4 <= bytes.count else { break }
            let crc = bytes[(offset + 4)..<end].withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
            for i in 0..<4 { bytes[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
            offset = end + 4
        }
        return bytes
    }

    // MARK: readers

    func testPNGPictures() throws {
        let runner = FuzzRunner(name: "png", seeds: try Self.pngSeeds())
        runner.repair = Self.repairingPNGChecksums
        runner.run { bytes in
            let image = try PNGCodec.decode(data: bytes)
            XCTAssertEqual(image.rgba.count, image.width * image.height * 4)
            _ = try PictureNormalizer().modelInputs(from: image)
        }
    }

    func testDrawingsJSONAndJSONLines() {
        let segmenter = DrawingSegmenter(), normalizer = DrawingNormalizer()
        FuzzRunner(name: "drawing", seeds: Self.drawingSeeds).run { bytes in
            let data = Data(bytes)
            for result in DrawingFile.parse(data, lines: false) + DrawingFile.parse(data, lines: true) {
                let drawing = try result.get()
                for part in try segmenter.segment(drawing) { _ = try normalizer.normalize(part) }
            }
        }
    }

    func testSafetensorsWeights() {
        let small = Self.smallModel
        FuzzRunner(name: "safetensors", seeds: [small.weights]).run { bytes in
            _ = try Safetensors.parse(Data(bytes), path: "fuzz.safetensors")
            let model = try DigitModel.load(card: small.card, weights: Data(bytes), path: "fuzz.safetensors")
            XCTAssertTrue(model.predict([Float](repeating: 0.5, count: 784)).allSatisfy(\.isFinite))
        }
    }

    func testModelCards() {
        let small = Self.smallModel
        let seeds = [small.cardJSON, Self.shippedCard].filter { !$0.isEmpty }
        FuzzRunner(name: "model-card", seeds: seeds).run { bytes in
            let card = try ModelCard.decode(Data(bytes), path: "fuzz.json")
            _ = try DigitModel.load(card: card, weights: Data(small.weights), path: "fuzz.safetensors")
        }
    }

    func testLogCSV() throws {
        FuzzRunner(name: "csv", seeds: try Self.csvSeeds()).run { bytes in
            let parsed = try LogCSV.parse(bytes: bytes, source: "fuzz.csv")
            for error in parsed.errors where FuzzRunner.internals.contains(where: error.message.contains) {
                XCTFail("a CSV row error shows programmer's text: \(error.message)")
            }
        }
    }

    func testIDXPlainAndGzip() {
        let plain = Self.scratch.appendingPathComponent("case-idx").path
        let compressed = Self.scratch.appendingPathComponent("case-idx.gz").path
        FuzzRunner(name: "idx", seeds: Self.idxSeeds).run { bytes in
            try? Data(bytes).write(to: URL(fileURLWithPath: plain))
            Self.gzip(bytes, to: compressed)
            var firstError: Error?
            for path in [plain, compressed] {
                do {
                    let images = try IDXReader.readImages(path: path)
                    XCTAssertEqual(images.pixels.count, images.count * images.rows * images.columns)
                } catch let error as IDXError {
                    guard case .badMagic = error else { firstError = firstError ?? error; continue }
                    do { _ = try IDXReader.readLabels(path: path) } catch { firstError = firstError ?? error }
                }
            }
            if let firstError { throw firstError }
        }
    }
}
