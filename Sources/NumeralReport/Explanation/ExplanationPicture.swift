import Foundation
import NumeralRecognition
import NumeralVision

/// One picture of what the network saw and why it answered, for `numeral explain --png`: per digit
/// the input, the winner's and the runner-up's evidence maps, the top 3, and the first
/// convolutions' feature maps as tiles.
public struct ExplanationPicture {
    public static let width = 820
    static let margin = 20.0
    static let mapSide = 168.0
    static let tileSide = 40.0
    static let tileGap = 3.0
    static let tilesPerRow = 16

    public init() {}

    /// Draws the explanations of a number's digits, first digit on top.
    public func render(_ digits: [DigitExplanation], modelID: String) throws -> CairoCanvas {
        guard !digits.isEmpty else { throw ReportError.invalidRequest("Nothing to explain: no digit was recognized.") }
        let height = Int(Self.headerHeight + Double(digits.count) * digitHeight(digits[0]) + Self.footerHeight)
        let canvas = try CairoCanvas.image(width: Self.width, height: height)
        let m = Self.margin, w = Double(Self.width) - 2 * m
        let number = digits.map { String($0.winner) }.joined()
        canvas.text("Why \(number)?", in: .init(x: m, y: 12, width: w * 0.5, height: 30), size: 24, bold: true)
        canvas.text("model \(modelID)", in: .init(x: m + w * 0.5, y: 16, width: w * 0.5, height: 22), size: 12,
                    color: .gray(0.4), align: .right)
        var y = Self.headerHeight
        for (i, d) in digits.enumerated() {
            draw(d, index: i, count: digits.count, at: y, on: canvas)
            y += digitHeight(d)
        }
        canvas.text("Red: ink that speaks for the digit. Blue: ink that speaks against it. Tiles: what the first layers respond to (dark = strong).",
                    in: .init(x: m, y: y + 4, width: w, height: 18), size: 11, color: .gray(0.25))
        try canvas.finish()
        return canvas
    }

    /// Renders and writes a PNG file.
    public func write(_ digits: [DigitExplanation], modelID: String, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            throw ReportError.cannotWrite(path: path, reason: "the folder \(dir) does not exist")
        }
        let canvas = try render(digits, modelID: modelID)
        let png = try PNGCodec.encodeRGBA(width: Int(canvas.width), height: Int(canvas.height), rgba: canvas.rgba())
        do {
            try Data(png).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ReportError.cannotWrite(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
    }

    static let headerHeight = 56.0
    static let footerHeight = 30.0

    private func tileRows(_ maps: FeatureMaps) -> Int { (maps.channels + Self.tilesPerRow - 1) / Self.tilesPerRow }

    func digitHeight(_ d: DigitExplanation) -> Double {
        let tiles = d.featureMaps.reduce(0.0) { $0 + 22 + Double(tileRows($1)) * (Self.tileSide + Self.tileGap) }
        return 26 + Self.mapSide + 24 + tiles + 14
    }

    private func draw(_ d: DigitExplanation, index: Int, count: Int, at top: Double, on canvas: CairoCanvas) {
        let m = Self.margin, side = Self.mapSide, gap = 14.0
        let title = count > 1 ? "Digit \(index + 1) of \(count): \(d.winner)" : "Digit: \(d.winner)"
        canvas.fill(.init(x: m, y: top, width: Double(Self.width) - 2 * m, height: 1), .gray(0.8))
        canvas.text(title, in: .init(x: m, y: top + 4, width: 400, height: 20), size: 15, bold: true)
        let mapsTop = top + 26
        let input = d.prediction.input
        var x = m
        let panels: [(String, [Float]?)] = [
            ("Model input", nil),
            ("Why \(d.winner)", d.winnerMap),
            ("Why not \(d.runnerUp)?", d.runnerUpMap),
        ]
        for (label, map) in panels {
            let box = CairoCanvas.Rect(x: x, y: mapsTop, width: side, height: side)
            canvas.cells(columns: 28, rows: 28, in: box) { i in
                let ink = Double(max(0, min(1, input.pixels[i])))
                guard let map else { return .gray(1 - ink) }
                return Self.evidenceColor(Double(map[i]), ink: ink)
            }
            canvas.stroke(box, .gray(0.6), lineWidth: 1)
            canvas.text(label, in: .init(x: x, y: mapsTop + side + 2, width: side, height: 20), size: 13, align: .center)
            x += side + gap
        }
        drawTop3(d.prediction, in: .init(x: x + 6, y: mapsTop, width: Double(Self.width) - m - x - 6, height: side), on: canvas)
        var y = mapsTop + side + 24
        for (k, maps) in d.featureMaps.enumerated() {
            canvas.text("Convolution \(k + 1): \(maps.channels) feature maps, \(maps.width)×\(maps.height)",
                        in: .init(x: m, y: y, width: 500, height: 20), size: 12, color: .gray(0.3))
            y += 22
            drawTiles(maps, top: y, on: canvas)
            y += Double(tileRows(maps)) * (Self.tileSide + Self.tileGap)
        }
    }

    private func drawTop3(_ p: DigitPrediction, in box: CairoCanvas.Rect, on canvas: CairoCanvas) {
        canvas.text("Top 3", in: .init(x: box.x, y: box.y, width: box.width, height: 20), size: 13, bold: true)
        let rowH = 40.0
        for (r, entry) in p.top3.enumerated() {
            let y = box.y + 28 + Double(r) * rowH
            canvas.text("\(entry.digit)", in: .init(x: box.x, y: y, width: 24, height: 26), size: 20, bold: r == 0)
            let barBox = CairoCanvas.Rect(x: box.x + 30, y: y + 5, width: box.width - 30 - 64, height: 16)
            canvas.fill(barBox, .gray(0.92))
            canvas.fill(.init(x: barBox.x, y: barBox.y, width: barBox.width * Double(entry.probability), height: barBox.height),
                        r == 0 ? CairoCanvas.Color(0.15, 0.45, 0.8) : .gray(0.6))
            canvas.text(Self.percent(entry.probability), in: .init(x: barBox.maxX + 4, y: y + 2, width: 60, height: 22), size: 13,
                        align: .right)
        }
    }

    private func drawTiles(_ maps: FeatureMaps, top: Double, on canvas: CairoCanvas) {
        let layerPeak = max(maps.values.max() ?? 0, 1e-6)
        for c in 0..<maps.channels {
            let box = CairoCanvas.Rect(x: Self.margin + Double(c % Self.tilesPerRow) * (Self.tileSide + Self.tileGap),
                                       y: top + Double(c / Self.tilesPerRow) * (Self.tileSide + Self.tileGap),
                                       width: Self.tileSide, height: Self.tileSide)
            let values = maps.channel(c)
            // Each tile scaled to its own peak (channels differ a lot in range), but a channel that
            // barely fires stays pale instead of showing amplified noise.
            let peak = max(values.max() ?? 0, layerPeak * 0.05)
            let base = values.startIndex
            canvas.cells(columns: maps.width, rows: maps.height, in: box) { i in
                .gray(1 - Double(max(0, min(1, values[base + i] / peak))) * 0.9)
            }
            canvas.stroke(box, .gray(0.8), lineWidth: 0.5)
        }
    }

    /// Input shown faintly in gray; evidence for in red, against in blue, stronger = more saturated.
    static func evidenceColor(_ v: Double, ink: Double) -> CairoCanvas.Color {
        let base = 1 - 0.25 * ink
        let s = min(1, abs(v).squareRoot())
        if v > 0 { return .init(base + (0.85 - base) * s, base * (1 - 0.85 * s), base * (1 - 0.85 * s)) }
        if v < 0 { return .init(base * (1 - 0.85 * s), base * (1 - 0.6 * s), base + (0.85 - base) * s) }
        return .gray(base)
    }

    static func percent(_ p: Float) -> String {
        let v = Double(p) * 100
        return v >= 99.95 || v < 0.05 ? String(format: "%.0f %%", v) : String(format: "%.1f %%", v)
    }
}
