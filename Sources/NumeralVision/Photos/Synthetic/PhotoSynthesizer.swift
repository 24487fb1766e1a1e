import Foundation

/// A synthetic photo of handwritten digits on paper, with what is written on it and where.
public struct SyntheticPhoto: Sendable {
    /// The photo as JPEG bytes, the way a camera delivers it.
    public var jpeg: [UInt8]
    /// The same, decoded (with the JPEG's artifacts).
    public var image: DecodedImage
    /// The digits written, left to right ("7", "2026").
    public var label: String
    /// Each digit's box in the photo's pixels.
    public var boxes: [PhotoBox]
    public var condition: PhotoCondition
}

/// Renders digits onto 640×480 "paper" photos under a chosen condition, deterministically from
/// a seed: light gradients, shadows, ruled and squared lines, a strip of desk, perspective tilt,
/// blur, noise and JPEG compression. Used to measure the photo reader, never to train.
public struct PhotoSynthesizer: Sendable {
    public var width = 640
    public var height = 480
    private var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    private mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + Double(random.next() >> 11) * 0x1p-53 * (high - low)
    }

    private mutating func gaussian() -> Double {
        let u = max(uniform(0, 1), 1e-12), v = uniform(0, 1)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// A photo of `glyphs` written side by side as one number.
    public mutating func make(_ glyphs: [DigitGlyph], condition: PhotoCondition) throws -> SyntheticPhoto {
        precondition(!glyphs.isEmpty, "a photo needs at least one digit")
        let c = condition
        let all = c == .everything
        // Paper in paper coordinates (same size as the frame); the desk outside its rectangle.
        var paper = (minX: -1e9, minY: -1e9, maxX: 1e9, maxY: 1e9)
        if c == .desk || all {
            let strip = uniform(40, 110)
            switch Int(uniform(0, 4)) {
            case 0: paper.minX = strip
            case 1: paper.maxX = Double(width) - strip
            case 2: paper.minY = strip
            default: paper.maxY = Double(height) - strip
            }
        }
        // Digit size and layout, kept inside the paper with a margin.
        let usableWidth = min(paper.maxX, Double(width)) - max(paper.minX, 0) - 60
        var digitHeight = uniform(45, 110)
        let gaps = glyphs.dropFirst().map { _ in uniform(0.18, 0.45) }
        func totalWidth(_ h: Double) -> Double {
            glyphs.map { h * Double($0.ink.width) / Double($0.ink.height) }.reduce(0, +) + gaps.reduce(0, +) * h
        }
        while totalWidth(digitHeight) > usableWidth && digitHeight > 30 { digitHeight *= 0.9 }
        let left = max(paper.minX, 0) + 30, top = max(paper.minY, 0) + 30
        let right = min(paper.maxX, Double(width)) - 30, bottom = min(paper.maxY, Double(height)) - 30
        let startX = left + uniform(0, max(0, right - left - totalWidth(digitHeight)))
        let startY = top + uniform(0, max(0, bottom - top - digitHeight))
        var ink = GrayImage(width: width, height: height)
        var paperBoxes: [(Double, Double, Double, Double)] = []
        var x = startX
        for (index, glyph) in glyphs.enumerated() {
            let h = digitHeight * uniform(0.9, 1.05)
            let w = max(2, h * Double(glyph.ink.width) / Double(glyph.ink.height))
            let y = startY + (digitHeight - h) * uniform(0, 1) + uniform(-0.04, 0.04) * digitHeight
            stamp(glyph.ink, into: &ink, x: x, y: y, width: w, height: h)
            paperBoxes.append((x, y, x + w, y + h))
            x += w + (index < gaps.count ? gaps[index] * digitHeight : 0)
        }
        // Lines of ruled or squared paper.
        let spacing = c == .ruled ? digitHeight * uniform(0.55, 1.0) : uniform(18, 32)
        let lineOffset = uniform(0, spacing)
        let rules: (horizontal: Bool, vertical: Bool) = c == .ruled ? (true, false)
            : c == .squared ? (true, true) : all ? (true, uniform(0, 1) < 0.5) : (false, false)
        let lineColor = (uniform(0.55, 0.75), uniform(0.7, 0.85), uniform(0.85, 0.97))
        let lineWidth = uniform(0.8, 1.8)
        // Camera: output pixel -> paper coordinates.
        let tilt = c == .tilt ? 45.0 : all ? 25.0 : 0
        var toPaper = Homography.identity
        if tilt > 0 {
            // A tilt that would push a digit out of the frame is tried again (the photographer aims).
            let corners = [(0.0, 0.0), (Double(width), 0), (Double(width), Double(height)), (0, Double(height))]
            for _ in 0..<20 {
                let moved = corners.map { ($0.0 + uniform(-tilt, tilt), $0.1 + uniform(-tilt, tilt)) }
                guard let candidate = Homography(from: corners, to: moved), let back = candidate.inverse else { continue }
                let inside = paperBoxes.allSatisfy { box in
                    [(box.0, box.1), (box.2, box.1), (box.2, box.3), (box.0, box.3)].allSatisfy { corner in
                        let (px, py) = back.apply(corner.0, corner.1)
                        return px > 10 && py > 10 && px < Double(width - 10) && py < Double(height - 10)
                    }
                }
                if inside { toPaper = candidate; break }
            }
        }
        let toPhoto = toPaper.inverse ?? .identity
        // Light: level, gradient, shadow.
        let level = uniform(0.78, 1.0)
        let gradientAmount = c == .gradient ? uniform(0.35, 0.55) : all ? uniform(0.2, 0.35) : uniform(0, 0.08)
        let gradientAngle = uniform(0, 2 * .pi)
        let hasShadow = c == .shadow || all
        let shadowAngle = uniform(0, 2 * .pi)
        let shadowThrough = (uniform(0.2, 0.8) * Double(width), uniform(0.2, 0.8) * Double(height))
        let shadowDepth = uniform(0.35, 0.6), shadowSoftness = uniform(4, 30)
        let paperColor = (uniform(0.92, 1.0), uniform(0.9, 0.98), uniform(0.85, 0.95))
        let inkColor = uniform(0, 1) < 0.5 ? (uniform(0.02, 0.15), uniform(0.02, 0.15), uniform(0.02, 0.2))
            : (uniform(0.05, 0.2), uniform(0.1, 0.25), uniform(0.35, 0.6))
        let deskColor = (uniform(0.3, 0.6), uniform(0.22, 0.45), uniform(0.12, 0.35))
        let grain = uniform(0.02, 0.08), grainFrequency = uniform(0.05, 0.2)
        var rgb = [Float](repeating: 0, count: width * height * 3)
        let diagonal = Double(width + height)
        for py in 0..<height {
            for px in 0..<width {
                let (u, v) = toPaper.apply(Double(px) + 0.5, Double(py) + 0.5)
                var r: Double, g: Double, b: Double
                if u < paper.minX || u > paper.maxX || v < paper.minY || v > paper.maxY {
                    let wood = 1 + grain * sin(v * grainFrequency + 3 * sin(u * 0.01))
                    (r, g, b) = (deskColor.0 * wood, deskColor.1 * wood, deskColor.2 * wood)
                } else {
                    (r, g, b) = paperColor
                    var line = 0.0
                    if rules.horizontal { line = max(line, coverage(v, spacing: spacing, offset: lineOffset, width: lineWidth)) }
                    if rules.vertical { line = max(line, coverage(u, spacing: spacing, offset: lineOffset, width: lineWidth)) }
                    if line > 0 {
                        r *= 1 - line * (1 - lineColor.0); g *= 1 - line * (1 - lineColor.1); b *= 1 - line * (1 - lineColor.2)
                    }
                    let a = Double(sample(ink, u, v))
                    if a > 0 {
                        r *= 1 - a * (1 - inkColor.0); g *= 1 - a * (1 - inkColor.1); b *= 1 - a * (1 - inkColor.2)
                    }
                }
                let along = (Double(px) * cos(gradientAngle) + Double(py) * sin(gradientAngle)) / diagonal
                var light = level * (1 - gradientAmount * (along + 0.5))
                if hasShadow {
                    let side = (Double(px) - shadowThrough.0) * cos(shadowAngle) + (Double(py) - shadowThrough.1) * sin(shadowAngle)
                    light *= 1 - shadowDepth / (1 + exp(-side / shadowSoftness))
                }
                let i = (py * width + px) * 3
                rgb[i] = Float(r * light); rgb[i + 1] = Float(g * light); rgb[i + 2] = Float(b * light)
            }
        }
        let sigma = c == .blurNoise ? uniform(1.2, 2.0) : all ? uniform(0.8, 1.3) : uniform(0.4, 0.8)
        blur(&rgb, sigma: sigma)
        let noise = c == .blurNoise ? uniform(0.025, 0.045) : all ? uniform(0.015, 0.03) : uniform(0.005, 0.015)
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for i in 0..<(width * height) {
            for k in 0..<3 {
                let value = Double(rgb[i * 3 + k]) + noise * gaussian()
                rgba[i * 4 + k] = UInt8(min(255, max(0, (value * 255).rounded())))
            }
        }
        let quality = c == .blurNoise ? Int(uniform(35, 60)) : Int(uniform(60, 92))
        let jpeg = try JPEGCodec.encodeRGBA(width: width, height: height, rgba: rgba, quality: quality)
        let decoded = try JPEGCodec.decode(data: jpeg, source: "synthetic photo")
        let boxes = paperBoxes.map { box -> PhotoBox in
            let corners = [(box.0, box.1), (box.2, box.1), (box.2, box.3), (box.0, box.3)].map { toPhoto.apply($0.0, $0.1) }
            let x0 = corners.map(\.0).min()!, x1 = corners.map(\.0).max()!
            let y0 = corners.map(\.1).min()!, y1 = corners.map(\.1).max()!
            return PhotoBox(x: Int(x0.rounded(.down)), y: Int(y0.rounded(.down)),
                            width: Int((x1 - x0).rounded(.up)), height: Int((y1 - y0).rounded(.up)))
        }
        return SyntheticPhoto(jpeg: jpeg, image: decoded, label: glyphs.map { String($0.label) }.joined(),
                              boxes: boxes, condition: condition)
    }

    /// Coverage (0...1) of a rule of `width` px at every `spacing` px, at position `t`.
    private func coverage(_ t: Double, spacing: Double, offset: Double, width: Double) -> Double {
        var d = (t - offset).truncatingRemainder(dividingBy: spacing)
        if d < 0 { d += spacing }
        d = min(d, spacing - d)
        return min(1, max(0, width / 2 + 0.5 - d))
    }

    /// Bilinear sample of the ink layer; 0 outside.
    private func sample(_ image: GrayImage, _ u: Double, _ v: Double) -> Float {
        let x = u - 0.5, y = v - 0.5
        guard x > -1, y > -1, x < Double(image.width), y < Double(image.height) else { return 0 }
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = Float(x - Double(x0)), fy = Float(y - Double(y0))
        func at(_ xx: Int, _ yy: Int) -> Float {
            xx >= 0 && yy >= 0 && xx < image.width && yy < image.height ? image[xx, yy] : 0
        }
        return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    }

    /// Draws a glyph's ink scaled into the box, sharpened a little (an upscaled MNIST digit is
    /// soft; a pen line is not), keeping the darker value where ink overlaps.
    private func stamp(_ glyph: GrayImage, into ink: inout GrayImage, x: Double, y: Double, width: Double, height: Double) {
        let x0 = max(0, Int(x)), x1 = min(ink.width - 1, Int((x + width).rounded(.up)))
        let y0 = max(0, Int(y)), y1 = min(ink.height - 1, Int((y + height).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let sx = Double(glyph.width) / width, sy = Double(glyph.height) / height
        for py in y0...y1 {
            for px in x0...x1 {
                let a = sample(glyph, (Double(px) + 0.5 - x) * sx, (Double(py) + 0.5 - y) * sy)
                let sharp = min(1, max(0, (a - 0.15) / 0.5))
                let smooth = sharp * sharp * (3 - 2 * sharp)
                if smooth > ink[px, py] { ink[px, py] = smooth }
            }
        }
    }

    /// Separable Gaussian blur of interleaved RGB.
    private func blur(_ rgb: inout [Float], sigma: Double) {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var temp = rgb
        func pass(_ src: UnsafeBufferPointer<Float>, _ dst: UnsafeMutableBufferPointer<Float>, horizontal: Bool) {
            for y in 0..<height {
                for x in 0..<width {
                    var s: (Float, Float, Float) = (0, 0, 0)
                    for k in -radius...radius {
                        let xx = horizontal ? min(width - 1, max(0, x + k)) : x
                        let yy = horizontal ? y : min(height - 1, max(0, y + k))
                        let i = (yy * width + xx) * 3, w = kernel[k + radius]
                        s.0 += w * src[i]; s.1 += w * src[i + 1]; s.2 += w * src[i + 2]
                    }
                    let o = (y * width + x) * 3
                    dst[o] = s.0; dst[o + 1] = s.1; dst[o + 2] = s.2
                }
            }
        }
        rgb.withUnsafeBufferPointer { src in temp.withUnsafeMutableBufferPointer { pass(src, $0, horizontal: true) } }
        temp.withUnsafeBufferPointer { src in rgb.withUnsafeMutableBufferPointer { pass(src, $0, horizontal: false) } }
    }
}
