/// Turning RGBA pixels into ink intensities: compositing, luminance, polarity and background removal.
enum PictureInk {
    /// Luminance (0 = black, 1 = white) with transparency composited away, averaged down in
    /// whole-pixel blocks when the picture is larger than `maxSide`: a digit needs no more, and
    /// everything after this step then works on at most `maxSide^2` pixels whatever the input.
    ///
    /// Transparent areas are composited on white, except when transparency is the background
    /// (most pixels clear) and the opaque strokes are light: then on black, so white-on-clear
    /// strokes stay visible instead of vanishing into white paper.
    static func luminance(_ image: DecodedImage, maxSide: Int) -> GrayImage {
        let width = image.width, height = image.height, count = width * height
        let factor = max(1, (max(width, height) + maxSide - 1) / max(1, maxSide))
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        var sums = [Float](repeating: 0, count: outWidth * outHeight)
        var weights = [Float](repeating: 0, count: factor == 1 ? 0 : outWidth * outHeight)
        image.rgba.withUnsafeBufferPointer { px in
            var clearPixels = 0, opaqueCount = 0, hasAlpha = false
            var opaqueLumSum: Float = 0
            for i in 0..<count where px[i * 4 + 3] != 255 {
                hasAlpha = true
                break
            }
            if hasAlpha {
                for i in 0..<count {
                    if px[i * 4 + 3] < 128 { clearPixels += 1; continue }
                    opaqueLumSum += lum(px, i)
                    opaqueCount += 1
                }
            }
            let lightStrokes = opaqueCount > 0 && opaqueLumSum / Float(opaqueCount) > 0.5
            let paper: Float = clearPixels * 2 > count && lightStrokes ? 0 : 1
            sums.withUnsafeMutableBufferPointer { out in
                if factor == 1 && !hasAlpha {
                    for i in 0..<count { out[i] = lum(px, i) }
                    return
                }
                // Each output cell sums its block's pixels of a row in a register, then adds
                // once (a sum per pixel into the same cell would wait on the previous one).
                for y in 0..<height {
                    let outRow = (y / factor) * outWidth
                    let line = y * width
                    for ox in 0..<outWidth {
                        var sum: Float = 0
                        let start = ox * factor, end = min(width, start + factor)
                        if hasAlpha {
                            for i in (line + start)..<(line + end) {
                                let alpha = Float(px[i * 4 + 3]) * (1 / 255)
                                sum += alpha * lum(px, i) + (1 - alpha) * paper
                            }
                        } else {
                            for i in (line + start)..<(line + end) { sum += lum(px, i) }
                        }
                        out[outRow + ox] += sum
                    }
                }
            }
        }
        if factor > 1 {
            // Blocks on the right and bottom edges may be partial, so divide by what each got.
            for oy in 0..<outHeight {
                let rows = Float(min(height, (oy + 1) * factor) - oy * factor)
                for ox in 0..<outWidth {
                    weights[oy * outWidth + ox] = rows * Float(min(width, (ox + 1) * factor) - ox * factor)
                }
            }
            for i in sums.indices { sums[i] /= max(1, weights[i]) }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: sums)
    }

    @inline(__always)
    private static func lum(_ px: UnsafeBufferPointer<UInt8>, _ i: Int) -> Float {
        (0.299 * Float(px[i * 4]) + 0.587 * Float(px[i * 4 + 1]) + 0.114 * Float(px[i * 4 + 2])) * (1 / 255)
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
        // One class empty (a uniform picture: Otsu finds no split): no contrast, nothing to read.
        guard count > 0, count < total else { return Levels(paper: 0, ink: 0) }
        let paperMean = sum / Double(count)
        let paperStd = max(0, sumSquares / Double(count) - paperMean * paperMean).squareRoot()
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
