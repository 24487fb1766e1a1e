extension DecodedImage {
    /// A gray picture (8-bit luminance, row-major, no padding: a camera frame) as an opaque
    /// RGBA picture, the form the photo reader takes.
    public init(gray: [UInt8], width: Int, height: Int) throws {
        guard width > 0, height > 0, gray.count == width * height else {
            throw PNGError.invalidPixels(reason: "\(width)x\(height) gray needs \(max(0, width) * max(0, height)) bytes, got \(gray.count)")
        }
        var rgba = [UInt8](repeating: 255, count: gray.count * 4)
        rgba.withUnsafeMutableBufferPointer { out in
            gray.withUnsafeBufferPointer { g in
                for i in 0..<g.count {
                    let v = g[i]
                    out[4 * i] = v
                    out[4 * i + 1] = v
                    out[4 * i + 2] = v
                }
            }
        }
        try self.init(width: width, height: height, rgba: rgba)
    }
}
