import CTurboJPEG
import Foundation

/// JPEG reading and writing through libjpeg-turbo's TurboJPEG API, wrapped here once.
///
/// TurboJPEG reports errors by return value and message (no longjmp across Swift frames). The
/// header is read first so the picture's size is judged before any pixel memory exists; the
/// EXIF orientation is applied so the result is upright.
public enum JPEGCodec {
    /// JPEG files start with SOI (FF D8) followed by another marker.
    public static func looksLikeJPEG(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    public static func decode(data: [UInt8], source: String = "JPEG data") throws -> DecodedImage {
        try data.withUnsafeBytes { try decode(bytes: $0, source: source) }
    }

    public static func decode(bytes: UnsafeRawBufferPointer, source: String) throws -> DecodedImage {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw JPEGError.empty(source: source) }
        guard looksLikeJPEG(bytes) else { throw JPEGError.notJPEG(source: source) }
        guard bytes.count <= Int(UInt32.max) else { throw JPEGError.corrupt(source: source, reason: "file too large") }
        guard let handle = tjInitDecompress() else {
            throw JPEGError.corrupt(source: source, reason: "cannot start the decoder")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let jpeg = base.assumingMemoryBound(to: UInt8.self)
        guard tjDecompressHeader3(handle, jpeg, UInt(bytes.count), &width, &height, &subsampling, &colorspace) == 0 else {
            throw JPEGError.corrupt(source: source, reason: errorText(handle))
        }
        let w = Int(width), h = Int(height)
        guard w > 0, h > 0 else { throw JPEGError.corrupt(source: source, reason: "size \(w)x\(h)") }
        guard w <= PNGError.maxSide, h <= PNGError.maxSide, w * h <= PNGError.maxPixels else {
            throw JPEGError.tooLarge(source: source, width: w, height: h)
        }
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        let status = rgba.withUnsafeMutableBufferPointer { out in
            tjDecompress2(handle, jpeg, UInt(bytes.count), out.baseAddress, width, Int32(w * 4), height,
                          Int32(TJPF_RGBA.rawValue), 0)
        }
        // libjpeg-turbo decodes a damaged file as far as it can and calls the rest a warning.
        // Small glitches some webcams produce ("extraneous bytes before marker") are accepted; a
        // truncated file is refused: half a photo would be read as something it is not.
        if status != 0 {
            let reason = errorText(handle)
            if tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) || reason.contains("Premature end") {
                throw JPEGError.corrupt(source: source, reason: reason)
            }
        }
        let upright = ExifOrientation.read(jpeg: bytes).apply(width: w, height: h, channels: 4, pixels: rgba)
        return DecodedImage(trustedWidth: upright.width, height: upright.height, rgba: upright.pixels)
    }

    /// JPEG bytes of 8-bit gray pixels (0 = black) at `quality` 1...100.
    public static func encodeGray(width: Int, height: Int, gray: [UInt8], quality: Int = 85) throws -> [UInt8] {
        try encode(width: width, height: height, pixels: gray, format: TJPF_GRAY, subsampling: TJSAMP_GRAY, quality: quality)
    }

    /// JPEG bytes of RGBA pixels (alpha ignored) at `quality` 1...100, 4:2:0 like a camera.
    public static func encodeRGBA(width: Int, height: Int, rgba: [UInt8], quality: Int = 85) throws -> [UInt8] {
        try encode(width: width, height: height, pixels: rgba, format: TJPF_RGBA, subsampling: TJSAMP_420, quality: quality)
    }

    private static func encode(width: Int, height: Int, pixels: [UInt8], format: TJPF, subsampling: TJSAMP,
                               quality: Int) throws -> [UInt8] {
        let channels = format == TJPF_GRAY ? 1 : 4
        guard width > 0, height > 0, width <= PNGError.maxSide, height <= PNGError.maxSide else {
            throw JPEGError.invalidPixels(reason: "size \(width)x\(height) is empty or too large")
        }
        guard pixels.count == width * height * channels else {
            throw JPEGError.invalidPixels(reason: "\(width)x\(height) with \(channels) channel(s) needs "
                                          + "\(width * height * channels) bytes, got \(pixels.count)")
        }
        guard (1...100).contains(quality) else { throw JPEGError.invalidPixels(reason: "quality \(quality) is not in 1...100") }
        guard let handle = tjInitCompress() else { throw JPEGError.encodeFailed(reason: "cannot start the encoder") }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = pixels.withUnsafeBufferPointer { src in
            tjCompress2(handle, src.baseAddress, Int32(width), Int32(width * channels), Int32(height), Int32(format.rawValue),
                        &output, &size, Int32(subsampling.rawValue), Int32(quality), 0)
        }
        defer { if let output { tjFree(output) } }
        guard status == 0, let output else { throw JPEGError.encodeFailed(reason: errorText(handle)) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    private static func errorText(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: text)
    }
}
