import Foundation

/// Images read from an IDX3 file: `count` row-major `rows x columns` 8-bit images, back to back.
public struct IDXImages: Sendable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    public let pixels: [UInt8]
}

/// Reader for the IDX format MNIST ships in, plain or gzip-compressed.
///
/// Sizes from the header are validated before anything is allocated, so a damaged header
/// produces an `IDXError` instead of a multi-gigabyte allocation or a crash.
public enum IDXReader {
    public static let imagesMagic: UInt32 = 0x0000_0803
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Upper bounds well above any real digit data set; anything larger is a broken header.
    public static let maxItems = 10_000_000
    public static let maxSide = 4096
    public static let maxPayloadBytes = 1 << 31
    /// Compressed payloads are read in pieces of this size.
    static let chunkBytes = 4 * 1024 * 1024

    public static func readImages(path: String) throws -> IDXImages {
        let reader = try open(path)
        let header = try readHeader(reader, magic: imagesMagic, dimensionCount: 3)
        let (count, rows, columns) = (header[0], header[1], header[2])
        guard count <= maxItems, rows >= 1, columns >= 1, rows <= maxSide, columns <= maxSide,
              count * rows * columns <= maxPayloadBytes
        else { throw IDXError.absurdDimensions(path: path, dimensions: header) }
        let pixels = try readPayload(reader, byteCount: count * rows * columns, headerBytes: 16)
        return IDXImages(count: count, rows: rows, columns: columns, pixels: pixels)
    }

    public static func readLabels(path: String) throws -> [UInt8] {
        let reader = try open(path)
        let header = try readHeader(reader, magic: labelsMagic, dimensionCount: 1)
        guard header[0] <= maxItems else { throw IDXError.absurdDimensions(path: path, dimensions: header) }
        return try readPayload(reader, byteCount: header[0], headerBytes: 8)
    }

    private static func open(_ path: String) throws -> GzipFileReader {
        guard FileManager.default.fileExists(atPath: path) else { throw IDXError.fileNotFound(path: path) }
        if let problem = ReadableError.fileProblem(path: path) {
            throw IDXError.unreadable(path: path, reason: problem + "; put the MNIST file there (`numeral data fetch`) or pass another --data folder.")
        }
        do { return try GzipFileReader(path: path) } catch {
            throw IDXError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// Reads the magic number and the big-endian dimension sizes that follow it.
    private static func readHeader(_ reader: GzipFileReader, magic: UInt32, dimensionCount: Int) throws -> [Int] {
        let path = reader.path
        let headerBytes = 4 + 4 * dimensionCount
        let bytes = try guarded(path) { try reader.read(count: headerBytes) }
        if bytes.count < 4 { throw IDXError.truncated(path: path, expectedBytes: headerBytes, actualBytes: bytes.count) }
        let found = bigEndianUInt32(bytes, at: 0)
        guard found == magic else { throw IDXError.badMagic(path: path, found: found, expected: magic) }
        guard bytes.count == headerBytes else {
            throw IDXError.truncated(path: path, expectedBytes: headerBytes, actualBytes: bytes.count)
        }
        return (0..<dimensionCount).map { Int(bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
    }

    private static func readPayload(_ reader: GzipFileReader, byteCount: Int, headerBytes: Int) throws -> [UInt8] {
        let path = reader.path
        // For an uncompressed file the size on disk tells us up front whether the payload is there.
        if reader.isPlain, let size = fileSize(path), size - headerBytes < byteCount {
            throw IDXError.truncated(path: path, expectedBytes: byteCount, actualBytes: max(0, size - headerBytes))
        }
        // A compressed header can claim anything, so memory grows only as data actually arrives:
        // a tiny file claiming millions of images is found truncated without a large allocation.
        var payload = [UInt8]()
        payload.reserveCapacity(min(byteCount, chunkBytes))
        var chunk = [UInt8](repeating: 0, count: min(byteCount, chunkBytes))
        while payload.count < byteCount {
            let want = min(chunk.count, byteCount - payload.count)
            let got = try guarded(path) { try chunk.withUnsafeMutableBytes { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) } }
            payload.append(contentsOf: chunk[0..<got])
            if got < want { break }
        }
        let got = payload.count
        guard got == byteCount else { throw IDXError.truncated(path: path, expectedBytes: byteCount, actualBytes: got) }
        guard try guarded(path, { try reader.isAtEnd() }) else { throw IDXError.trailingData(path: path) }
        return payload
    }

    private static func guarded<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as GzipError {
            throw IDXError.unreadable(path: path, reason: error.description)
        }
    }

    private static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }
}
