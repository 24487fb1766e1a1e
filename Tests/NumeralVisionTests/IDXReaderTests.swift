import CZlib
import Foundation
import XCTest
@testable import NumeralVision

/// Where the shared MNIST files live for tests: $NUMERAL_MNIST, else `<repo>/../shared/data/mnist`.
enum MNISTFixture {
    static var directory: String {
        if let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"], !env.isEmpty { return env }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
    }

    /// The MNIST test split, loaded once per test process (it is read-only).
    static let testSplit: Result<MNISTDataset, Error> = Result { try MNISTDataset.load(directory: directory, split: .test) }

    static func requireTestSplit() throws -> MNISTDataset {
        let base = URL(fileURLWithPath: directory).appendingPathComponent("t10k-images-idx3-ubyte").path
        guard FileManager.default.fileExists(atPath: base) || FileManager.default.fileExists(atPath: base + ".gz") else {
            throw XCTSkip("MNIST not found in \(directory); set NUMERAL_MNIST to the directory holding the IDX files")
        }
        return try testSplit.get()
    }
}

/// A scratch directory removed when the test ends.
func makeScratchDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-vision-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

final class IDXReaderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try makeScratchDirectory(self) }

    // MARK: helpers

    private func idx(magic: UInt32, dims: [UInt32], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in [magic] + dims { bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        return bytes + payload
    }

    @discardableResult
    private func write(_ bytes: [UInt8], _ name: String, gzip: Bool = false) throws -> String {
        let path = dir.appendingPathComponent(name).path
        if gzip {
            guard let file = gzopen(path, "wb") else { throw XCTSkip("cannot create gzip file") }
            _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            gzclose(file)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }

    private func assertIDXError(_ body: @autoclosure () throws -> Any, _ check: (IDXError) -> Bool,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let idxError = error as? IDXError else { return XCTFail("not an IDXError: \(error)", file: file, line: line) }
            XCTAssertTrue(check(idxError), "unexpected error: \(idxError)", file: file, line: line)
            XCTAssertFalse(idxError.description.isEmpty)
        }
    }

    private func smallSet(count: Int, rows: Int = 28, columns: Int = 28) -> (images: [UInt8], labels: [UInt8]) {
        let pixels = (0..<count * rows * columns).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let labels = (0..<count).map { UInt8($0 % 10) }
        return (idx(magic: 0x803, dims: [UInt32(count), UInt32(rows), UInt32(columns)], payload: pixels),
                idx(magic: 0x801, dims: [UInt32(count)], payload: labels))
    }

    // MARK: well-formed files

    func testReadsPlainAndGzipIdenticallyAndLoadsDataset() throws {
        let set = smallSet(count: 5)
        let plainImages = try IDXReader.readImages(path: write(set.images, "a-images"))
        let gzImages = try IDXReader.readImages(path: write(set.images, "b-images.gz", gzip: true))
        XCTAssertEqual(plainImages.count, 5)
        XCTAssertEqual(plainImages.rows, 28)
        XCTAssertEqual(plainImages.pixels, Array(set.images[16...]))
        XCTAssertEqual(gzImages.pixels, plainImages.pixels)

        try write(set.images, "train-images-idx3-ubyte.gz", gzip: true)
        try write(set.labels, "train-labels-idx1-ubyte")
        let dataset = try MNISTDataset.load(directory: dir.path, split: .train)
        XCTAssertEqual(dataset.count, 5)
        XCTAssertEqual(dataset.labels, [0, 1, 2, 3, 4])
        XCTAssertEqual(dataset.images, Array(set.images[16...]))
        XCTAssertEqual(dataset.grayImage(at: 1).pixels[0], Float(dataset.images[784]) / 255)
        XCTAssertEqual(dataset.prefix(2).count, 2)
    }

    func testRealMNISTTestSplit() throws {
        let test = try MNISTFixture.requireTestSplit()
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual(test.images.count, 10_000 * 784)
        XCTAssertEqual(Array(test.labels.prefix(5)), [7, 2, 1, 0, 4])  // the well-known first test digits
        var histogram = [Int](repeating: 0, count: 10)
        for label in test.labels { histogram[Int(label)] += 1 }
        XCTAssertEqual(histogram, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        XCTAssertEqual(test.images.prefix(784).max(), 255)
    }

    // MARK: damaged and wrong files

    func testSwappedFilesReportBadMagic() throws {
        let set = smallSet(count: 3)
        let labelsPath = try write(set.labels, "labels")
        assertIDXError(try IDXReader.readImages(path: labelsPath)) {
            if case let .badMagic(path, found, expected) = $0 { return path == labelsPath && found == 0x801 && expected == 0x803 }
            return false
        }
        let textPath = try write(Array("hello, this is not IDX data".utf8), "text.gz", gzip: true)
        assertIDXError(try IDXReader.readLabels(path: textPath)) { if case .badMagic = $0 { return true }; return false }
    }

    func testTruncatedPlainAndGzipFiles() throws {
        let set = smallSet(count: 4)
        let cut = Array(set.images.dropLast(100))
        for gzip in [false, true] {
            let path = try write(cut, "cut-\(gzip)", gzip: gzip)
            assertIDXError(try IDXReader.readImages(path: path)) {
                if case let .truncated(_, expected, actual) = $0 { return expected == 4 * 784 && actual == 4 * 784 - 100 }
                return false
            }
        }
        let headerOnly = try write(Array(set.images.prefix(10)), "header-only")
        assertIDXError(try IDXReader.readImages(path: headerOnly)) { if case .truncated = $0 { return true }; return false }
        let empty = try write([], "empty")
        assertIDXError(try IDXReader.readLabels(path: empty)) { if case .truncated = $0 { return true }; return false }
    }

    func testTrailingBytesAreRefused() throws {
        let set = smallSet(count: 2)
        let path = try write(set.labels + [1, 2, 3], "long-labels")
        assertIDXError(try IDXReader.readLabels(path: path)) { if case .trailingData = $0 { return true }; return false }
    }

    func testAbsurdHeaderIsRefusedBeforeAllocating() throws {
        // 4 billion 28x28 images would need 3 TB; the header alone must be enough to refuse it, fast.
        let huge = try write(idx(magic: 0x803, dims: [0xFFFF_FFFF, 28, 28], payload: [1, 2, 3]), "huge.gz", gzip: true)
        let start = Date()
        assertIDXError(try IDXReader.readImages(path: huge)) {
            if case let .absurdDimensions(_, dims) = $0 { return dims == [0xFFFF_FFFF, 28, 28] }
            return false
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        let zeroSide = try write(idx(magic: 0x803, dims: [1, 0, 28], payload: []), "zero-side")
        assertIDXError(try IDXReader.readImages(path: zeroSide)) { if case .absurdDimensions = $0 { return true }; return false }
        let manyLabels = try write(idx(magic: 0x801, dims: [2_000_000_000], payload: [0]), "many-labels")
        assertIDXError(try IDXReader.readLabels(path: manyLabels)) { if case .absurdDimensions = $0 { return true }; return false }
    }

    func testTinyGzipClaimingMillionsOfImagesIsTruncatedWithoutAllocatingThem() throws {
        // 1 KB compressed, 2.7 million 28x28 images claimed (2.1 GB): memory must follow the data
        // that actually arrives, not the header's claim.
        let claimed: UInt32 = 2_700_000
        let path = try write(idx(magic: 0x803, dims: [claimed, 28, 28], payload: [UInt8](repeating: 7, count: 100_000)), "liar.gz", gzip: true)
        let before = Self.peakResidentBytes()
        assertIDXError(try IDXReader.readImages(path: path)) {
            if case let .truncated(_, expected, actual) = $0 { return expected == Int(claimed) * 784 && actual == 100_000 }
            return false
        }
        let grown = Self.peakResidentBytes() - before
        XCTAssertLessThan(grown, 100 << 20, "peak memory grew by \(grown >> 20) MB reading a file of \(100_000) data bytes")
    }

    private static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    func testCorruptGzipStreamIsReported() throws {
        let set = smallSet(count: 20)
        let path = try write(set.images, "corrupt.gz", gzip: true)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in stride(from: 30, to: bytes.count - 10, by: 7) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        assertIDXError(try IDXReader.readImages(path: path)) {
            switch $0 {
            case .unreadable, .truncated, .badMagic, .absurdDimensions, .trailingData: return true
            default: return false
            }
        }
    }

    func testDatasetMismatchesAreReported() throws {
        let five = smallSet(count: 5)
        let three = smallSet(count: 3)
        try write(five.images, "t10k-images-idx3-ubyte")
        try write(three.labels, "t10k-labels-idx1-ubyte")
        assertIDXError(try MNISTDataset.load(directory: dir.path, split: .test)) {
            if case let .countMismatch(_, images, _, labels) = $0 { return images == 5 && labels == 3 }
            return false
        }
        try write(smallSet(count: 3, rows: 16, columns: 16).images, "t10k-images-idx3-ubyte")
        assertIDXError(try MNISTDataset.load(directory: dir.path, split: .test)) {
            if case let .unexpectedImageSize(_, rows, columns, _) = $0 { return rows == 16 && columns == 16 }
            return false
        }
        try write(idx(magic: 0x801, dims: [3], payload: [1, 12, 3]), "t10k-labels-idx1-ubyte")
        assertIDXError(try MNISTDataset.load(directory: dir.path, split: .test)) {
            if case let .labelOutOfRange(_, index, value) = $0 { return index == 1 && value == 12 }
            return false
        }
        assertIDXError(try MNISTDataset.load(directory: dir.path, split: .train)) {
            if case .fileNotFound = $0 { return true }; return false
        }
        assertIDXError(try IDXReader.readLabels(path: dir.appendingPathComponent("nope").path)) {
            if case .fileNotFound = $0 { return true }; return false
        }
    }
}
