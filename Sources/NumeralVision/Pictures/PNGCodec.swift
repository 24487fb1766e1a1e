import CPNG
import Foundation

/// A decoded picture: 8-bit RGBA, row-major, straight (not premultiplied) alpha.
public struct DecodedImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let rgba: [UInt8]

    public init(width: Int, height: Int, rgba: [UInt8]) throws {
        guard width > 0, height > 0, width <= PNGError.maxSide, height <= PNGError.maxSide,
              width * height <= PNGError.maxPixels else {
            throw PNGError.invalidPixels(reason: "size \(width)x\(height) is empty or too large")
        }
        guard rgba.count == width * height * 4 else {
            throw PNGError.invalidPixels(reason: "\(width)x\(height) RGBA needs \(width * height * 4) bytes, got \(rgba.count)")
        }
        self.width = width
        self.height = height
        self.rgba = rgba
    }

    /// For data already known to be consistent (straight from libpng or libjpeg-turbo).
    init(trustedWidth width: Int, height: Int, rgba: [UInt8]) {
        self.width = width
        self.height = height
        self.rgba = rgba
    }
}

/// PNG reading and writing through libpng's "simplified" API, wrapped here once.
///
/// That API reports errors through a message in `png_image` instead of longjmp, which would be
/// undefined behaviour across Swift frames. It converts every PNG flavour (1-16 bit, gray, palette
/// with tRNS, interlaced, with or without alpha) to the RGBA8 layout we ask for.
public enum PNGCodec {
    /// Largest file we read into memory; a PNG within the pixel limit is far smaller.
    public static let maxFileBytes = 256 * 1024 * 1024

    public static func decode(path: String) throws -> DecodedImage {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: path) else { throw PNGError.fileNotFound(path: path) }
        if let problem = ReadableError.fileProblem(path: path) { throw PNGError.unreadable(path: path, reason: problem) }
        let size = (try? fileManager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxFileBytes else {
            throw PNGError.unreadable(path: path, reason: "file is \(size / 1_048_576) MB, more than any digit picture needs")
        }
        let data: Data
        do { data = try ReadableError.contents(of: path) } catch {
            throw PNGError.unreadable(path: path, reason: ReadableError.decoding(error))
        }
        return try data.withUnsafeBytes { try decode(bytes: $0, source: path) }
    }

    public static func decode(data: [UInt8], source: String = "PNG data") throws -> DecodedImage {
        try data.withUnsafeBytes { try decode(bytes: $0, source: source) }
    }

    /// PNG_FORMAT_RGBA is a composite macro Swift does not import; it is colour | alpha.
    private static let rgbaFormat = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private static func decode(bytes: UnsafeRawBufferPointer, source: String) throws -> DecodedImage {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw PNGError.empty(source: source) }
        guard bytes.count >= 8, zip(bytes.prefix(8), signature).allSatisfy({ $0 == $1 }) else {
            throw PNGError.notPNG(source: source)
        }
        // The IHDR chunk must come first; judging its size here refuses a huge picture even when
        // the rest of the file is missing or crafted, before libpng or we allocate anything.
        if let (width, height) = headerSize(bytes), !isAcceptable(width: width, height: height) {
            throw PNGError.tooLarge(source: source, width: width, height: height)
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        // Reads only the header chunks, so the size can be judged before any pixel memory exists.
        guard png_image_begin_read_from_memory(&image, base, bytes.count) != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw PNGError.corrupt(source: source, reason: reason)
        }
        let width = Int(image.width), height = Int(image.height)
        guard isAcceptable(width: width, height: height) else {
            png_image_free(&image)
            throw PNGError.tooLarge(source: source, width: width, height: height)
        }
        image.format = rgbaFormat
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        let ok = rgba.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, Int32(width * 4), nil)
        }
        // finish_read releases libpng's state itself, on success and on failure.
        guard ok != 0 else { throw PNGError.corrupt(source: source, reason: message(of: &image)) }
        return DecodedImage(trustedWidth: width, height: height, rgba: rgba)
    }

    private static func isAcceptable(width: Int, height: Int) -> Bool {
        width <= PNGError.maxSide && height <= PNGError.maxSide && width * height <= PNGError.maxPixels
    }

    /// The picture's width and height from its header, without decoding it; nil if it does not start like a PNG.
    public static func size(of bytes: UnsafeRawBufferPointer) -> (width: Int, height: Int)? {
        guard bytes.count >= 8, zip(bytes.prefix(8), signature).allSatisfy({ $0 == $1 }),
              let (width, height) = headerSize(bytes), width > 0, height > 0 else { return nil }
        return (width, height)
    }

    /// Width and height from a leading IHDR chunk, or nil if the bytes do not start with one.
    private static func headerSize(_ bytes: UnsafeRawBufferPointer) -> (Int, Int)? {
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    // MARK: encoding

    public static func encodeRGBA(width: Int, height: Int, rgba: [UInt8]) throws -> [UInt8] {
        try checkSize(width: width, height: height, bytes: rgba.count, channels: 4)
        return try encode(width: width, height: height, format: rgbaFormat, pixels: rgba)
    }

    public static func writeRGBA(path: String, width: Int, height: Int, rgba: [UInt8]) throws {
        try write(encodeRGBA(width: width, height: height, rgba: rgba), to: path)
    }

    /// Writes ink intensities (0...1) as 8-bit gray; `invert` gives dark ink on white paper.
    public static func writeGray(path: String, image: GrayImage, invert: Bool = false) throws {
        try write(encodeGray(image, invert: invert), to: path)
    }

    /// PNG bytes of ink intensities as 8-bit gray; NaN reads as paper, values are clamped to 0...1.
    public static func encodeGray(_ image: GrayImage, invert: Bool = false) throws -> [UInt8] {
        try checkSize(width: image.width, height: image.height, bytes: image.pixels.count, channels: 1)
        let gray = image.pixels.map { value -> UInt8 in
            let ink = value.isNaN ? 0 : min(max(value, 0), 1)
            return UInt8(((invert ? 1 - ink : ink) * 255).rounded())
        }
        return try encode(width: image.width, height: image.height, format: UInt32(PNG_FORMAT_GRAY), pixels: gray)
    }

    private static func checkSize(width: Int, height: Int, bytes: Int, channels: Int) throws {
        guard width > 0, height > 0 else { throw PNGError.invalidPixels(reason: "size \(width)x\(height) is empty") }
        guard width <= PNGError.maxSide, height <= PNGError.maxSide, width * height <= PNGError.maxPixels else {
            throw PNGError.invalidPixels(reason: "size \(width)x\(height) exceeds the \(PNGError.maxSide) px / \(PNGError.maxPixels / 1_000_000) MP limit")
        }
        guard bytes == width * height * channels else {
            throw PNGError.invalidPixels(reason: "\(width)x\(height) with \(channels) channel(s) needs \(width * height * channels) values, got \(bytes)")
        }
    }

    private static func encode(width: Int, height: Int, format: UInt32, pixels: [UInt8]) throws -> [UInt8] {
        let channels = pixels.count / (width * height)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        // Raw size plus deflate's worst-case overhead and chunk headers: enough in practice, and
        // libpng reports the exact need if not, so the retry below is rarely taken.
        var capacity = pixels.count + height + pixels.count / 64 + 4096
        for _ in 0..<2 {
            var output = [UInt8](repeating: 0, count: capacity)
            var size = capacity
            let ok = output.withUnsafeMutableBytes { out in
                pixels.withUnsafeBytes { src in
                    png_image_write_to_memory(&image, out.baseAddress, &size, 0, src.baseAddress, Int32(width * channels), nil)
                }
            }
            if ok != 0 {
                output.removeSubrange(size...)
                return output
            }
            guard size > capacity else { throw PNGError.invalidPixels(reason: "libpng: \(message(of: &image))") }
            capacity = size
            image.warning_or_error = 0
        }
        throw PNGError.invalidPixels(reason: "libpng could not size its output buffer")
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        // Atomic, so a crash mid-write never leaves a half-written picture behind.
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw PNGError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }

    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw -> String in
            let bytes = raw.prefix(while: { $0 != 0 })
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.isEmpty ? "unknown error" : text
    }
}
