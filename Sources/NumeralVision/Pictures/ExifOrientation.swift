/// The EXIF orientation tag (0x0112) of a JPEG: how the stored pixels must be turned to look
/// upright. Phones store pictures as the sensor saw them and set this tag instead of rotating.
///
/// Parsed here directly from the APP1 "Exif" segment (a TIFF header and the first IFD): a few
/// bytes, every offset bounds-checked, anything malformed reads as `.up`.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case up = 1, upMirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

    /// Whether width and height swap when applied.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation stored in a JPEG's APP1 Exif segment, or `.up` if there is none.
    public static func read(jpeg bytes: UnsafeRawBufferPointer) -> ExifOrientation {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .up }
        var at = 2
        // Walk the markers before the image data; APP1 comes early in every camera file.
        while at + 4 <= bytes.count, bytes[at] == 0xFF {
            let marker = bytes[at + 1]
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { at += 2; continue }
            if marker == 0xDA || marker == 0xD9 { break }  // start of scan / end: no more headers
            let length = Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length >= 2, at + 2 + length <= bytes.count else { break }
            if marker == 0xE1, length >= 8 {
                let start = at + 4
                let header: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
                if (0..<6).allSatisfy({ bytes[start + $0] == header[$0] }),
                   let value = tiffOrientation(bytes, from: start + 6, to: at + 2 + length) {
                    return ExifOrientation(rawValue: value) ?? .up
                }
            }
            at += 2 + length
        }
        return .up
    }

    /// The orientation value in a TIFF block `bytes[from..<to]`, or nil if absent or malformed.
    static func tiffOrientation(_ bytes: UnsafeRawBufferPointer, from base: Int, to end: Int) -> Int? {
        guard base + 8 <= end else { return nil }
        let little: Bool
        switch (bytes[base], bytes[base + 1]) {
        case (0x49, 0x49): little = true   // "II"
        case (0x4D, 0x4D): little = false  // "MM"
        default: return nil
        }
        func u16(_ offset: Int) -> Int? {
            let i = base + offset
            guard offset >= 0, i + 2 <= end else { return nil }
            let a = Int(bytes[i]), b = Int(bytes[i + 1])
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ offset: Int) -> Int? {
            guard let lo = u16(little ? offset : offset + 2), let hi = u16(little ? offset + 2 : offset) else { return nil }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<min(count, 512) {
            let e = ifd + 2 + entry * 12
            guard let tag = u16(e) else { return nil }
            if tag == 0x0112 {
                guard u16(e + 2) == 3, let value = u16(e + 8) else { return nil }  // type SHORT, value inline
                return value
            }
        }
        return nil
    }

    /// Applies the orientation to interleaved 8-bit pixels (`channels` per pixel).
    public func apply(width: Int, height: Int, channels: Int, pixels: [UInt8]) -> (width: Int, height: Int, pixels: [UInt8]) {
        guard self != .up else { return (width, height, pixels) }
        let outWidth = swapsSides ? height : width, outHeight = swapsSides ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // Where the output pixel (x, y) comes from in the stored picture.
                        let (sx, sy): (Int, Int)
                        switch self {
                        case .up: (sx, sy) = (x, y)
                        case .upMirrored: (sx, sy) = (width - 1 - x, y)
                        case .down: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case .downMirrored: (sx, sy) = (x, height - 1 - y)
                        case .leftMirrored: (sx, sy) = (y, x)
                        case .right: (sx, sy) = (y, height - 1 - x)
                        case .rightMirrored: (sx, sy) = (width - 1 - y, height - 1 - x)
                        case .left: (sx, sy) = (width - 1 - y, x)
                        }
                        let s = (sy * width + sx) * channels, d = (y * outWidth + x) * channels
                        for c in 0..<channels { dst[d + c] = src[s + c] }
                    }
                }
            }
        }
        return (outWidth, outHeight, out)
    }
}
