/// Turning RGBA pixels into ink intensities: compositing, luminance, polarity and background removal.
enum PictureInk {
    /// Luminance (0 = black, 1 = white) of every pixel, with transparency composited away.
    ///
    /// Transparent areas are composited on white, except when transparency is the background
    /// (most pixels clear) and the opaque strokes are light: then on black, so white-on-clear
    /// strokes stay visible instead of vanishing into white paper.
    static func luminance(_ image: DecodedImage) -> [Float] {
        let count = image.width * image.height
        var lum = [Float](repeating: 0, count: count)
        var clearPixels = 0
        var opaqueLumSum: Float = 0
        var opaqueCount = 0
        image.rgba.withUnsafeBufferPointer { px in
            lum.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let r = Float(px[i * 4]), g = Float(px[i * 4 + 1]), b = Float(px[i * 4 + 2])
                    let y = (0.299 * r + 0.587 * g + 0.114 * b) * (1 / 255)
                    out[i] = y
                    if px[i * 4 + 3] < 128 { clearPixels += 1 } else { opaqueLumSum += y; opaqueCount += 1 }
                }
            }
        }
        guard image.rgba.withUnsafeBufferPointer({ px in (0..<count).contains { px[$0 * 4 + 3] != 255 } }) else { return lum }
        let clearBackground = clearPixels * 2 > count
        let lightStrokes = opaqueCount > 0 && opaqueLumSum / Float(opaqueCount) > 0.5
        let paper: Float = clearBackground && lightStrokes ? 0 : 1
        image.rgba.withUnsafeBufferPointer { px in
            lum.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let alpha = Float(px[i * 4 + 3]) * (1 / 255)
                    out[i] = alpha * out[i] + (1 - alpha) * paper
                }
            }
        }
        return lum
    }

    /// True when the picture is dark ink on light paper.
    ///
    /// From Otsu's split into dark and light pixels, two clues are weighed: the digit sits inside
    /// the picture, so ink is rarer on the border than overall; and paper is usually the majority.
    /// The border clue leads because it survives bold digits that fill a small bitmap (where ink
    /// can be the majority); the majority clue settles cases where the border says little.
    /// Measured on 500 MNIST digits as 16x16 bitmaps: 1 error at normal weight, 2% when every
    /// stroke is dilated to cover half the bitmap (majority alone: 1% and 53%).
    static func isDarkOnLight(_ lum: [Float], width: Int, height: Int) -> Bool {
        let threshold = Float(otsuThreshold(histogram(lum))) / 255
        var dark = 0
        for v in lum where v <= threshold { dark += 1 }
        var borderDark = 0, borderCount = 0
        func visit(_ i: Int) {
            borderCount += 1
            if lum[i] <= threshold { borderDark += 1 }
        }
        for x in 0..<width {
            visit(x)
            if height > 1 { visit((height - 1) * width + x) }
        }
        if height > 2 {
            for y in 1..<(height - 1) {
                visit(y * width)
                if width > 1 { visit(y * width + width - 1) }
            }
        }
        let darkShare = Float(dark) / Float(max(1, lum.count))
        let borderDarkShare = Float(borderDark) / Float(max(1, borderCount))
        let majorityWeight: Float = 0.35
        return (darkShare - borderDarkShare) + majorityWeight * (0.5 - darkShare) > 0
    }

    static func histogram(_ values: [Float]) -> [Int] {
        var histogram = [Int](repeating: 0, count: 256)
        values.withUnsafeBufferPointer { v in
            for x in v { histogram[min(255, max(0, Int(x * 255 + 0.5)))] += 1 }
        }
        return histogram
    }

    /// Otsu's threshold: the bin that best separates the histogram into two classes
    /// (values at or below it form the lower class).
    static func otsuThreshold(_ histogram: [Int]) -> Int {
        let total = histogram.reduce(0, +)
        var sumAll = 0.0
        for i in 0..<256 { sumAll += Double(i * histogram[i]) }
        var best = 0.0, threshold = 0
        var weightBelow = 0, sumBelow = 0.0
        for t in 0..<255 {
            weightBelow += histogram[t]
            sumBelow += Double(t * histogram[t])
            let weightAbove = total - weightBelow
            if weightBelow == 0 || weightAbove == 0 { continue }
            let meanBelow = sumBelow / Double(weightBelow)
            let meanAbove = (sumAll - sumBelow) / Double(weightAbove)
            let between = Double(weightBelow) * Double(weightAbove) * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best { best = between; threshold = t }
        }
        return threshold
    }

    /// Levels below which a value is paper and above which it is solid ink, from Otsu's split.
    struct Levels {
        var paper: Float
        var ink: Float
        var contrast: Float { ink - paper }
    }

    /// Otsu's threshold on a 256-bin histogram, then per-class statistics: paper ends a few
    /// standard deviations above the background mean (so paper texture and scanner noise vanish),
    /// solid ink starts at the ink class's upper quartile (so faint pens reach full intensity
    /// while anti-aliased edges keep their gray levels in between).
    static func levels(_ ink: [Float]) -> Levels {
        let histogram = histogram(ink)
        let total = ink.count
        let threshold = otsuThreshold(histogram)
        var count = 0, sum = 0.0, sumSquares = 0.0
        for i in 0...threshold {
            count += histogram[i]
            sum += Double(i * histogram[i])
            sumSquares += Double(i * i * histogram[i])
        }
        let paperMean = count > 0 ? sum / Double(count) : 0
        let paperStd = count > 0 ? max(0, sumSquares / Double(count) - paperMean * paperMean).squareRoot() : 0
        let aboveCount = total - count
        var inkLevel = 255.0
        if aboveCount > 0 {
            // Upper quartile of the ink class.
            var seen = 0
            let target = aboveCount * 3 / 4
            for i in (threshold + 1)..<256 {
                seen += histogram[i]
                if seen > target { inkLevel = Double(i); break }
            }
        }
        let paperLevel = min(paperMean + 3 * paperStd, Double(threshold))
        return Levels(paper: Float(paperLevel / 255), ink: Float(inkLevel / 255))
    }
}
