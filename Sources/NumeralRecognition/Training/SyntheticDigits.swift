import Foundation
import NumeralEngine
import NumeralVision

/// Seeded, digit-like drawings (loops, bars and hooks drawn as pen strokes) and their 28×28
/// inputs, for measuring speed and memory where no dataset is at hand. They are not labelled
/// digits: accuracy cannot be measured on them, and nothing claims it is.
public enum SyntheticDigits {
    /// `count` drawings on a 280×280 canvas, one to three strokes each, deterministic for a seed.
    public static func drawings(count: Int, seed: UInt64 = 1) -> [Drawing] {
        var rng = SeededGenerator(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &rng) }
        return (0..<max(0, count)).map { _ in
            var strokes: [Stroke] = []
            let cx = uniform(110...170), cy = uniform(110...170)
            let rx = uniform(30...70), ry = uniform(50...100)
            let kind = Int.random(in: 0..<3, using: &rng)
            // A loop (0, 6, 8, 9), an open hook (2, 3, 5, 7) or a bar with a flag (1, 4).
            let turns = kind == 0 ? 1.0 : 0.6
            let start = uniform(0...(2 * .pi))
            var points: [StrokePoint] = []
            for i in 0...40 {
                let a = start + 2 * .pi * turns * Double(i) / 40
                let x = kind == 2 ? cx + uniform(-2...2) : cx + rx * cos(a)
                let y = kind == 2 ? cy - ry + 2 * ry * Double(i) / 40 : cy + ry * sin(a)
                points.append(StrokePoint(x: x, y: y, time: Double(i) * 0.01))
            }
            strokes.append(Stroke(points: points))
            if kind != 0 {
                let y = cy + uniform(-ry...ry) * 0.5
                strokes.append(Stroke(points: (0...10).map { i in
                    StrokePoint(x: cx - rx + 2 * rx * Double(i) / 10, y: y + uniform(-3...3), time: 0.5 + Double(i) * 0.01)
                }))
            }
            return Drawing(strokes: strokes, width: 280, height: 280)
        }
    }

    /// The drawings' normalized inputs, labelled 0 (the label means nothing).
    public static func images(count: Int, seed: UInt64 = 1) -> LabeledImages {
        let normalizer = DrawingNormalizer()
        var pixels: [Float] = []
        var labels: [UInt8] = []
        for drawing in drawings(count: count, seed: seed) {
            guard let image = try? normalizer.normalize(drawing) else { continue }
            pixels += image.pixels
            labels.append(0)
        }
        return LabeledImages(pixels: pixels, labels: labels)
    }
}
