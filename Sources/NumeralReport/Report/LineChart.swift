import Foundation

/// A vector line chart: axes with labelled ticks, light grid lines, one or more series and a
/// legend. Points with nil values (e.g. a day without feedback) break the line.
struct LineChart {
    struct Series {
        var name: String
        var values: [Double?]
        var color: CairoCanvas.Color
        var dashed = false
    }

    var title: String
    var series: [Series]
    /// Labels under the x axis at these indices.
    var xLabels: [(index: Int, text: String)]
    var yRange: ClosedRange<Double>
    var yTicks: [Double]
    var yFormat: (Double) -> String

    func draw(in box: CairoCanvas.Rect, on canvas: CairoCanvas) {
        canvas.text(title, in: .init(x: box.x, y: box.y, width: box.width * 0.55, height: 16), size: 11, bold: true)
        // Legend, right-aligned on the title line.
        var lx = box.maxX
        for s in series.reversed() {
            let w = min(140, canvas.textWidth(s.name, size: 8) + 2)
            lx -= w
            canvas.text(s.name, in: .init(x: lx, y: box.y + 2, width: w, height: 12), size: 8, color: .gray(0.25))
            lx -= 16
            canvas.polyline([(lx, box.y + 8), (lx + 12, box.y + 8)], s.color, lineWidth: 2, dashed: s.dashed)
            lx -= 8
        }
        let plot = CairoCanvas.Rect(x: box.x + 38, y: box.y + 22, width: box.width - 44, height: box.height - 22 - 18)
        let span = max(yRange.upperBound - yRange.lowerBound, 1e-9)
        func y(_ v: Double) -> Double { plot.maxY - (min(max(v, yRange.lowerBound), yRange.upperBound) - yRange.lowerBound) / span * plot.height }
        let count = max(series.map(\.values.count).max() ?? 0, 1)
        func x(_ i: Int) -> Double { count == 1 ? plot.x + plot.width / 2 : plot.x + Double(i) / Double(count - 1) * plot.width }
        for t in yTicks {
            canvas.polyline([(plot.x, y(t)), (plot.maxX, y(t))], .gray(0.88), lineWidth: 0.5)
            canvas.text(yFormat(t), in: .init(x: box.x, y: y(t) - 6, width: 34, height: 12), size: 7.5, color: .gray(0.35), align: .right)
        }
        canvas.polyline([(plot.x, plot.y), (plot.x, plot.maxY), (plot.maxX, plot.maxY)], .gray(0.45), lineWidth: 0.8)
        var lastLabelEnd = -Double.infinity
        for (i, text) in xLabels {
            let w = 60.0
            let left = min(max(x(i) - w / 2, box.x), box.maxX - w)
            guard left > lastLabelEnd + 4 else { continue }
            canvas.text(text, in: .init(x: left, y: plot.maxY + 3, width: w, height: 12), size: 7.5, color: .gray(0.35), align: .center)
            lastLabelEnd = left + w
        }
        for s in series {
            var run: [(Double, Double)] = []
            func flush() {
                if run.count == 1 { canvas.circle(x: run[0].0, y: run[0].1, radius: 1.8, s.color) }
                if run.count > 1 { canvas.polyline(run, s.color, lineWidth: 1.6, dashed: s.dashed) }
                run = []
            }
            for (i, v) in s.values.enumerated() {
                if let v, v.isFinite { run.append((x(i), y(v))) } else { flush() }
            }
            flush()
        }
    }

    /// Round tick values covering `lo...hi`, about four of them.
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = max(hi - lo, 1e-9)
        let raw = span / 4, magnitude = pow10(floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-6 { out.append(t); t += step }
        return out
    }

    private static func pow10(_ e: Double) -> Double { exp(e * log(10)) }
}
