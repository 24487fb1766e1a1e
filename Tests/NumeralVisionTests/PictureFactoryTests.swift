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

    /// A USPS-like 16x16 binary bitmap: the digit cropped and stretched to fill the box.
    static func bitmap16(_ image: GrayImage) -> GrayImage {
        var minX = image.width, minY = image.height, maxX = 0, maxY = 0
        for y in 0..<image.height { for x in 0..<image.width where image[x, y] > 0.1 {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        } }
        let w = maxX - minX + 1, h = maxY - minY + 1
        let scale = 16 / Float(max(w, h))
        let ow = max(1, Int(Float(w) * scale)), oh = max(1, Int(Float(h) * scale))
        let crop = GrayImage(width: ow, height: oh,
                             pixels: PictureResample.resize(image, x0: minX, y0: minY, width: w, height: h, outWidth: ow, outHeight: oh))
        return thresholded(padded(crop, left: (16 - ow) / 2, top: (16 - oh) / 2, right: 16 - ow - (16 - ow) / 2, bottom: 16 - oh - (16 - oh) / 2))
    }

    struct Style {
        var paper: (r: Float, g: Float, b: Float) = (1, 1, 1)
        var ink: (r: Float, g: Float, b: Float) = (0, 0, 0)
        var noise: Float = 0
        var transparentPaper = false
    }

    /// RGBA pixels of an ink image painted in `style`, with optional paper texture noise.
    static func rgba(_ image: GrayImage, style: Style, seed: UInt64 = 1) -> [UInt8] {
        var rng = SeededTestRandom(seed: seed)
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
