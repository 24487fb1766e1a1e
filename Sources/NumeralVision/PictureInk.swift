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

    /// True when the picture is dark ink on light paper, judged by the border, where paper
    /// almost always dominates; the overall median decides when the border is ambiguous.
    static func isDarkOnLight(_ lum: [Float], width: Int, height: Int) -> Bool {
        var border: [Float] = []
        border.reserveCapacity(2 * (width + height))
        for x in 0..<width {
            border.append(lum[x])
            border.append(lum[(height - 1) * width + x])
        }
        for y in 0..<height {
            border.append(lum[y * width])
            border.append(lum[y * width + width - 1])
        }
        let borderMedian = median(border)
        if borderMedian < 0.35 { return false }
        if borderMedian > 0.65 { return true }
        return median(lum) >= 0.5
    }

    private static func median(_ values: [Float]) -> Float {
        guard !values.isEmpty else { return 1 }
        var sorted = values
        sorted.sort()
        return sorted[sorted.count / 2]
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
        var histogram = [Int](repeating: 0, count: 256)
        for v in ink { histogram[min(255, max(0, Int(v * 255 + 0.5)))] += 1 }
        let total = ink.count
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
