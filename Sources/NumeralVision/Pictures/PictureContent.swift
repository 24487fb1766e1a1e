/// What a picture is, judged from its pixels (never from its file format): a clean bitmap or scan
/// (flat background, as MNIST images, bitmaps and scanner output are) or a photo of paper
/// (sensor noise, paper texture, uneven light, JPEG ringing). A photo saved as PNG is still a
/// photo, and a bitmap saved as JPEG is still a bitmap.
public struct PictureContent: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// A clean bitmap or scan: read by the picture normalizer.
        case scan
        /// A photo of paper: read by the photo reader.
        case photo
    }

    public var kind: Kind
    /// Share of the background's pixels within `flatTolerance` of its most common level.
    public var flatShare: Float
    /// Spread of the background's level between the picture's four quadrants (0...1 luminance).
    public var lightSpread: Float
    /// The ink's extent (1st to 99th percentile of its pixels' positions) as a share of the
    /// picture's width or height, whichever is larger: a bitmap or scan of digits is cropped to
    /// them, a photo shows paper around them.
    public var inkExtent: Float

    /// Background pixels within this much (luminance) of the background's commonest level count as flat.
    public static let flatTolerance: Float = 2.0 / 255
    /// A scan has at least this share of its background flat...
    public static let minimumFlatShare: Float = 0.7
    /// ...and at most this spread of light across its quadrants...
    public static let maximumLightSpread: Float = 0.04
    /// ...and its ink spans at least this share of its width or height.
    public static let minimumInkExtent: Float = 0.65

    public init(kind: Kind, flatShare: Float, lightSpread: Float, inkExtent: Float = 1) {
        self.kind = kind
        self.flatShare = flatShare
        self.lightSpread = lightSpread
        self.inkExtent = inkExtent
    }

    /// A sentence saying why, for the JSON `reason` and the logs.
    public var reason: String {
        let flat = Int((flatShare * 100).rounded()), spread = Int((lightSpread * 255).rounded())
        let extent = Int((inkExtent * 100).rounded())
        switch kind {
        case .scan:
            return "clean background (\(flat)% of it at one level, light varies by \(spread)/255) and ink across \(extent)% of the picture: read as a bitmap or scan"
        case .photo where flatShare >= Self.minimumFlatShare && lightSpread <= Self.maximumLightSpread:
            return "clean background but ink across only \(extent)% of the picture, paper around it: read as a photo of paper"
        case .photo:
            return "textured or unevenly lit background (\(flat)% of it at one level, light varies by \(spread)/255): read as a photo of paper"
        }
    }

    /// Assesses a decoded picture, looked at with at most `maxSide` px a side: little enough
    /// averaging that a photo's sensor noise and paper grain are still there to see.
    public static func assess(_ image: DecodedImage, maxSide: Int = 1024) -> PictureContent {
        assess(luminance: PictureInk.luminance(image, maxSide: maxSide))
    }

    /// Assesses luminance (0 = black, 1 = white).
    public static func assess(luminance lum: GrayImage) -> PictureContent {
        let width = lum.width, height = lum.height
        guard width >= 4, height >= 4, !lum.pixels.isEmpty else { return PictureContent(kind: .scan, flatShare: 1, lightSpread: 0) }
        // The background is the side of Otsu's split that holds the border (where the digit is not).
        let values = lum.pixels.map { $0.isFinite ? min(1, max(0, $0)) : 1 }
        let histogram = PictureInk.histogram(values)
        let split = PictureInk.otsuThreshold(histogram)
        let darkOnLight = PictureInk.isDarkOnLight(values, width: width, height: height)
        func bin(_ v: Float) -> Int { min(255, max(0, Int(v * 255 + 0.5))) }
        // Every pixel's 8-bit level once; background is one side of the split.
        let bins = values.map { UInt8(bin($0)) }
        let backgroundMask = bins.map { darkOnLight ? Int($0) > split : Int($0) <= split }
        var backgroundHistogram = [Int](repeating: 0, count: 256)
        var backgroundCount = 0
        bins.withUnsafeBufferPointer { b in backgroundMask.withUnsafeBufferPointer { m in
            for i in 0..<b.count where m[i] {
                backgroundHistogram[Int(b[i])] += 1
                backgroundCount += 1
            }
        } }
        guard backgroundCount > 0 else { return PictureContent(kind: .scan, flatShare: 1, lightSpread: 0, inkExtent: 1) }
        let mode = backgroundHistogram.indices.max { backgroundHistogram[$0] < backgroundHistogram[$1] } ?? 0
        let reach = Int((flatTolerance * 255).rounded())
        let flat = backgroundHistogram[max(0, mode - reach)...min(255, mode + reach)].reduce(0, +)
        let flatShare = Float(flat) / Float(backgroundCount)
        // Light across the picture: the background's median in each quadrant.
        var medians: [Float] = []
        bins.withUnsafeBufferPointer { b in backgroundMask.withUnsafeBufferPointer { m in
            for (qx, qy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                var quadrant = [Int](repeating: 0, count: 256)
                var n = 0
                for y in (qy * height / 2)..<((qy + 1) * height / 2) {
                    let line = y * width
                    for x in (qx * width / 2)..<((qx + 1) * width / 2) where m[line + x] {
                        quadrant[Int(b[line + x])] += 1
                        n += 1
                    }
                }
                guard n > 0 else { continue }
                var seen = 0
                for (i, count) in quadrant.enumerated() {
                    seen += count
                    if seen * 2 >= n { medians.append(Float(i) / 255); break }
                }
            }
        } }
        let lightSpread = (medians.max() ?? 0) - (medians.min() ?? 0)
        // Where the solid ink is (more than 70% of the way from the paper's level to the darkest ink,
        // so that a shadow or a printed rule does not count): the 1st to 99th percentile of its
        // pixels' columns and rows.
        let paperLevel = Float(mode) / 255
        let extreme = darkOnLight ? (values.min() ?? 0) : (values.max() ?? 1)
        let solid = paperLevel + 0.7 * (extreme - paperLevel)
        func isSolidInk(_ v: Float) -> Bool { darkOnLight ? v < solid : v > solid }
        var columns = [Int](repeating: 0, count: width), rows = [Int](repeating: 0, count: height)
        var inkCount = 0
        values.withUnsafeBufferPointer { v in
            for y in 0..<height {
                let line = y * width
                for x in 0..<width where isSolidInk(v[line + x]) {
                    columns[x] += 1
                    rows[y] += 1
                    inkCount += 1
                }
            }
        }
        func spanShare(_ counts: [Int]) -> Float {
            guard inkCount > 0 else { return 0 }
            var seen = 0, low = 0, high = counts.count - 1
            for (i, n) in counts.enumerated() { seen += n; if seen * 100 >= inkCount { low = i; break } }
            seen = 0
            for (i, n) in counts.enumerated().reversed() { seen += n; if seen * 100 >= inkCount { high = i; break } }
            return Float(max(0, high - low + 1)) / Float(counts.count)
        }
        let inkExtent = max(spanShare(columns), spanShare(rows))
        let scan = flatShare >= minimumFlatShare && lightSpread <= maximumLightSpread && inkExtent >= minimumInkExtent
        return PictureContent(kind: scan ? .scan : .photo, flatShare: flatShare, lightSpread: lightSpread, inkExtent: inkExtent)
    }
}
