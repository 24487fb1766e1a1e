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

    /// What pictures are decoded down to by default: a JPEG above this many pixels is decoded at
    /// 1/2, 1/4 or 1/8 of its size (libjpeg-turbo scales in the DCT, so a 12-megapixel photo costs
    /// a quarter of the work and memory). Readers look at digits with at most about a thousand
    /// pixels a side, so nothing they see is lost.
    public static let workingPixels = 4_194_304

    public static func decode(data: [UInt8], source: String = "JPEG data", maxPixels: Int? = workingPixels) throws -> DecodedImage {
        try data.withUnsafeBytes { try decode(bytes: $0, source: source, maxPixels: maxPixels) }
    }

    /// The picture's width and height from its header, without decoding it; nil if it is not a readable JPEG.
    public static func size(of bytes: UnsafeRawBufferPointer) -> (width: Int, height: Int)? {
        guard let base = bytes.baseAddress, looksLikeJPEG(bytes), bytes.count <= Int(UInt32.max),
              let handle = tjInitDecompress() else { return nil }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(handle, base.assumingMemoryBound(to: UInt8.self), UInt(bytes.count),
                                  &width, &height, &subsampling, &colorspace) == 0, width > 0, height > 0 else { return nil }
        return (Int(width), Int(height))
    }

    /// The smallest reduction (1, 2, 4 or 8) that brings `width`×`height` to at most `maxPixels`.
    public static func reduction(width: Int, height: Int, maxPixels: Int?) -> Int {
        guard let maxPixels, maxPixels > 0 else { return 1 }
        for factor in [1, 2, 4] where scaled(width, factor) * scaled(height, factor) <= maxPixels { return factor }
        return 8
    }

    /// libjpeg-turbo's scaled size: rounded up.
    static func scaled(_ side: Int, _ factor: Int) -> Int { (side + factor - 1) / factor }

    /// Decodes a JPEG; above `maxPixels` (nil: never) at a reduced size, chosen by `reduction`.
    public static func decode(bytes: UnsafeRawBufferPointer, source: String, maxPixels: Int? = workingPixels) throws -> DecodedImage {
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
        let fullWidth = Int(width), fullHeight = Int(height)
        guard fullWidth > 0, fullHeight > 0 else { throw JPEGError.corrupt(source: source, reason: "size \(fullWidth)x\(fullHeight)") }
        guard fullWidth <= PNGError.maxSide, fullHeight <= PNGError.maxSide, fullWidth * fullHeight <= PNGError.maxPixels else {
            throw JPEGError.tooLarge(source: source, width: fullWidth, height: fullHeight)
        }
        let factor = reduction(width: fullWidth, height: fullHeight, maxPixels: maxPixels)
        let w = scaled(fullWidth, factor), h = scaled(fullHeight, factor)
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        // CMYK (and YCCK) JPEGs, as print workflows save them, cannot be converted to RGB by the
        // decoder: they are decoded as CMYK and converted here.
        let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
        // Asked for the scaled size, TurboJPEG picks the matching DCT scaling factor.
        let status = rgba.withUnsafeMutableBufferPointer { out in
            tjDecompress2(handle, jpeg, UInt(bytes.count), out.baseAddress, Int32(w), Int32(w * 4), Int32(h),
                          Int32((isCMYK ? TJPF_CMYK : TJPF_RGBA).rawValue), 0)
        }
        if isCMYK { Self.convertInvertedCMYK(&rgba) }
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

    /// CMYK JPEGs store their inks inverted (Adobe's convention, which libjpeg-turbo keeps: 255 is
    /// no ink), so red is C·K, green M·K and blue Y·K, each over 255; alpha becomes opaque.
    static func convertInvertedCMYK(_ pixels: inout [UInt8]) {
        pixels.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i + 3 < p.count {
                let k = UInt16(p[i + 3])
                p[i] = UInt8(UInt16(p[i]) * k / 255)
                p[i + 1] = UInt8(UInt16(p[i + 1]) * k / 255)
                p[i + 2] = UInt8(UInt16(p[i + 2]) * k / 255)
                p[i + 3] = 255
                i += 4
            }
        }
    }

    /// JPEG bytes of 8-bit gray pixels (0 = black) at `quality` 1...100.
    public static func encodeGray(width: Int, height: Int, gray: [UInt8], quality: Int = 85) throws -> [UInt8] {
        try encode(width: width, height: height, pixels: gray, format: TJPF_GRAY, subsampling: TJSAMP_GRAY, quality: quality)
    }

    /// JPEG bytes of RGBA pixels (alpha ignored) at `quality` 1...100, 4:2:0 like a camera.
    public static func encodeRGBA(width: Int, height: Int, rgba: [UInt8], quality: Int = 85) throws -> [UInt8] {
        try encode(width: width, height: height, pixels: rgba, format: TJPF_RGBA, subsampling: TJSAMP_420, quality: quality)
    }

    static func encode(width: Int, height: Int, pixels: [UInt8], format: TJPF, subsampling: TJSAMP,
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
