import ArgumentParser
import Foundation
import NumeralVision

/// Draws the application icon: a hand-drawn "7" rendered by the same rasterizer that prepares the
/// model's input, white on an indigo rounded square. `make install` uses it for the .desktop entry.
struct IconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icon", abstract: "Write the application icon as PNG.", shouldDisplay: false)

    @Option(name: .shortAndLong, help: "Output PNG.") var output = "numeral.png"
    @Option(help: "Side in pixels.") var size = 256

    func run() throws {
        guard (16...1024).contains(size) else { throw ValidationError("--size must be 16...1024") }
        let seven = Drawing(strokes: [
            Stroke(points: [StrokePoint(x: 20, y: 22), StrokePoint(x: 50, y: 20), StrokePoint(x: 82, y: 19)]),
            Stroke(points: [StrokePoint(x: 82, y: 19), StrokePoint(x: 66, y: 50), StrokePoint(x: 52, y: 82), StrokePoint(x: 46, y: 100)]),
            Stroke(points: [StrokePoint(x: 40, y: 60), StrokePoint(x: 74, y: 58)]),
        ])
        let s = Double(size)
        let ink = try DrawingNormalizer(penWidth: s * 0.085, targetBox: s * 0.62, size: size, edgeSoftness: max(1, s / 128)).normalize(seven)
        let radius = s * 0.2
        var rgba = [UInt8](repeating: 0, count: size * size * 4)
        for y in 0..<size {
            for x in 0..<size {
                // Coverage of a rounded square, anti-aliased over one pixel.
                let dx = max(abs(Double(x) + 0.5 - s / 2) - (s / 2 - radius), 0)
                let dy = max(abs(Double(y) + 0.5 - s / 2) - (s / 2 - radius), 0)
                let inside = min(max(radius - (dx * dx + dy * dy).squareRoot() + 0.5, 0), 1)
                let t = Double(y) / s
                let bg = (r: 63 - 20 * t, g: 81 - 30 * t, b: 181 - 40 * t)   // indigo, darker at the bottom
                let a = Double(ink[x, y])
                let i = (y * size + x) * 4
                rgba[i] = UInt8(bg.r + (255 - bg.r) * a)
                rgba[i + 1] = UInt8(bg.g + (255 - bg.g) * a)
                rgba[i + 2] = UInt8(bg.b + (255 - bg.b) * a)
                rgba[i + 3] = UInt8((inside * 255).rounded())
            }
        }
        try PNGCodec.writeRGBA(path: output, width: size, height: size, rgba: rgba)
    }
}
