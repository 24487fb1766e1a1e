import Foundation
@testable import NumeralVision

/// Builds "scanned" pictures of MNIST digits in the many forms real pictures come in.
enum PictureFactory {
    /// Bilinear resize of the whole image (simulates scanning at another resolution).
    static func resized(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
        GrayImage(width: width, height: height,
                  pixels: PictureResample.resize(image, x0: 0, y0: 0, width: image.width, height: image.height,
                                                 outWidth: width, outHeight: height))
    }

    static func padded(_ image: GrayImage, left: Int, top: Int, right: Int, bottom: Int) -> GrayImage {
        var out = GrayImage(width: image.width + left + right, height: image.height + top + bottom)
        for y in 0..<image.height { for x in 0..<image.width { out[x + left, y + top] = image[x, y] } }
        return out
    }

    static func thresholded(_ image: GrayImage, at level: Float = 0.5) -> GrayImage {
        GrayImage(width: image.width, height: image.height, pixels: image.pixels.map { $0 >= level ? 1 : 0 })
    }

    /// Box blur, separable: a horizontal then a vertical running mean.
    static func blurred(_ image: GrayImage, radius: Int) -> GrayImage {
        func pass(_ src: GrayImage, horizontal: Bool) -> GrayImage {
            var out = src
            let (outer, inner) = horizontal ? (src.height, src.width) : (src.width, src.height)
            for a in 0..<outer {
                for b in 0..<inner {
                    var sum: Float = 0, n: Float = 0
                    for k in max(0, b - radius)...min(inner - 1, b + radius) {
                        sum += horizontal ? src[k, a] : src[a, k]; n += 1
                    }
                    if horizontal { out[b, a] = sum / n } else { out[a, b] = sum / n }
                }
            }
            return out
        }
        return pass(pass(image, horizontal: true), horizontal: false)
    }

    /// A 16x16 bitmap like USPS postal scans (gray) or Semeion forms (binary): the digit cropped
    /// and scaled to fill the box.
    static func bitmap16(_ image: GrayImage, binary: Bool = true) -> GrayImage {
        var minX = image.width, minY = image.height, maxX = 0, maxY = 0
        for y in 0..<image.height { for x in 0..<image.width where image[x, y] > 0.1 {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        } }
        let w = maxX - minX + 1, h = maxY - minY + 1
        let scale = 16 / Float(max(w, h))
        let ow = max(1, Int(Float(w) * scale)), oh = max(1, Int(Float(h) * scale))
        let crop = GrayImage(width: ow, height: oh,
                             pixels: PictureResample.resize(image, x0: minX, y0: minY, width: w, height: h, outWidth: ow, outHeight: oh))
        let box = padded(crop, left: (16 - ow) / 2, top: (16 - oh) / 2, right: 16 - ow - (16 - ow) / 2, bottom: 16 - oh - (16 - oh) / 2)
        return binary ? thresholded(box) : box
    }

    /// A pen drawing: polylines stroked with a round pen of `radius` px, anti-aliased by one pixel.
    static func penDrawing(_ lines: [[(Float, Float)]], radius: Float, width: Int = 300, height: Int = 300) -> GrayImage {
        var image = GrayImage(width: width, height: height)
        for line in lines {
            for (a, b) in zip(line, line.dropFirst()) {
                let minX = max(0, Int(min(a.0, b.0) - radius - 2)), maxX = min(width - 1, Int(max(a.0, b.0) + radius + 2))
                let minY = max(0, Int(min(a.1, b.1) - radius - 2)), maxY = min(height - 1, Int(max(a.1, b.1) + radius + 2))
                let dx = b.0 - a.0, dy = b.1 - a.1, length2 = max(1e-6, dx * dx + dy * dy)
                for y in minY...maxY {
                    for x in minX...maxX {
                        let t = min(1, max(0, ((Float(x) - a.0) * dx + (Float(y) - a.1) * dy) / length2))
                        let ex = Float(x) - (a.0 + t * dx), ey = Float(y) - (a.1 + t * dy)
                        let coverage = min(1, max(0, radius + 0.5 - (ex * ex + ey * ey).squareRoot()))
                        image[x, y] = max(image[x, y], coverage)
                    }
                }
            }
        }
        return image
    }

    /// Grayscale dilation with a 3x3 square, `times` times: bolder strokes.
    static func dilated(_ image: GrayImage, times: Int) -> GrayImage {
        var current = image
        for _ in 0..<times {
            var out = current
            for y in 0..<current.height { for x in 0..<current.width {
                var m: Float = 0
                for yy in max(0, y - 1)...min(current.height - 1, y + 1) {
                    for xx in max(0, x - 1)...min(current.width - 1, x + 1) { m = max(m, current[xx, yy]) }
                }
                out[x, y] = m
            } }
            current = out
        }
        return current
    }

    struct Style {
        var paper: (r: Float, g: Float, b: Float) = (1, 1, 1)
        var ink: (r: Float, g: Float, b: Float) = (0, 0, 0)
        var noise: Float = 0
        var transparentPaper = false
    }

    /// RGBA pixels of an ink image painted in `style`, with optional paper texture noise.
    static func rgba(_ image: GrayImage, style: Style, seed: UInt64 = 1) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var bytes = [UInt8](repeating: 0, count: image.pixels.count * 4)
        for (i, v) in image.pixels.enumerated() {
            let grain = style.noise > 0 ? (Float(rng.next() >> 40) * 0x1p-24 * 2 - 1) * style.noise : 0
            func mix(_ p: Float, _ k: Float) -> UInt8 { UInt8(min(255, max(0, ((p * (1 - v) + k * v) + grain) * 255)).rounded()) }
            if style.transparentPaper {
                bytes[i * 4] = UInt8(style.ink.r * 255); bytes[i * 4 + 1] = UInt8(style.ink.g * 255)
                bytes[i * 4 + 2] = UInt8(style.ink.b * 255); bytes[i * 4 + 3] = UInt8((v * 255).rounded())
            } else {
                bytes[i * 4] = mix(style.paper.r, style.ink.r)
                bytes[i * 4 + 1] = mix(style.paper.g, style.ink.g)
                bytes[i * 4 + 2] = mix(style.paper.b, style.ink.b)
                bytes[i * 4 + 3] = 255
            }
        }
        return bytes
    }

    /// Encodes as PNG and decodes again, the way a picture arrives from disk.
    static func throughPNG(_ image: GrayImage, style: Style, seed: UInt64 = 1) throws -> DecodedImage {
        try PNGCodec.decode(data: PNGCodec.encodeRGBA(width: image.width, height: image.height, rgba: rgba(image, style: style, seed: seed)))
    }
}
