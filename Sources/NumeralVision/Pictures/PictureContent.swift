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

    /// Background pixels within this much (luminance) of the background's commonest level count as flat.
    public static let flatTolerance: Float = 3.0 / 255
    /// A scan has at least this share of its background flat...
    public static let minimumFlatShare: Float = 0.6
    /// ...and at most this spread of light across its quadrants.
    public static let maximumLightSpread: Float = 0.04

    public init(kind: Kind, flatShare: Float, lightSpread: Float) {
        self.kind = kind
        self.flatShare = flatShare
        self.lightSpread = lightSpread
    }

    /// A sentence saying why, for the JSON `reason` and the logs.
    public var reason: String {
        let flat = Int((flatShare * 100).rounded()), spread = Int((lightSpread * 255).rounded())
        switch kind {
        case .scan:
            return "clean background (\(flat)% of it at one level, light varies by \(spread)/255): read as a bitmap or scan"
        case .photo:
            return "textured or unevenly lit background (\(flat)% of it at one level, light varies by \(spread)/255): read as a photo of paper"
        }
    }

    /// Assesses a decoded picture (at most 256 px a side is looked at).
    public static func assess(_ image: DecodedImage) -> PictureContent {
        assess(luminance: PictureInk.luminance(image, maxSide: 256))
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
        func isBackground(_ v: Float) -> Bool { darkOnLight ? bin(v) > split : bin(v) <= split }
        var backgroundHistogram = [Int](repeating: 0, count: 256)
        var backgroundCount = 0
        for v in values where isBackground(v) {
            backgroundHistogram[bin(v)] += 1
            backgroundCount += 1
        }
        guard backgroundCount > 0 else { return PictureContent(kind: .scan, flatShare: 1, lightSpread: 0) }
        let mode = backgroundHistogram.indices.max { backgroundHistogram[$0] < backgroundHistogram[$1] } ?? 0
        let reach = Int((flatTolerance * 255).rounded())
        let flat = backgroundHistogram[max(0, mode - reach)...min(255, mode + reach)].reduce(0, +)
        let flatShare = Float(flat) / Float(backgroundCount)
        // Light across the picture: the background's median in each quadrant.
        var medians: [Float] = []
        for (qx, qy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            var quadrant = [Int](repeating: 0, count: 256)
            var n = 0
            for y in (qy * height / 2)..<((qy + 1) * height / 2) {
                for x in (qx * width / 2)..<((qx + 1) * width / 2) where isBackground(values[y * width + x]) {
                    quadrant[bin(values[y * width + x])] += 1
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
        let lightSpread = (medians.max() ?? 0) - (medians.min() ?? 0)
        let scan = flatShare >= minimumFlatShare && lightSpread <= maximumLightSpread
        return PictureContent(kind: scan ? .scan : .photo, flatShare: flatShare, lightSpread: lightSpread)
    }
}
