import NumeralStore

/// The 10×10 confusion matrix as a heat map with the counts written in: rows are the digit
/// drawn, columns the digit read. Right answers (the diagonal) in blue, mistakes in red.
struct ConfusionChart {
    var matrix: [[Int]]

    func draw(in box: CairoCanvas.Rect, on canvas: CairoCanvas) {
        let label = 16.0
        let side = min(box.width - label - 14, box.height - label - 14)
        let cell = side / 10
        let grid = CairoCanvas.Rect(x: box.x + label + 14, y: box.y + label + 14, width: side, height: side)
        canvas.text("read as →", in: .init(x: grid.x, y: box.y, width: side, height: 12), size: 8, color: .gray(0.35), align: .center)
        canvas.text("drawn ↓", in: .init(x: box.x, y: box.y, width: label + 14, height: 12), size: 8, color: .gray(0.35))
        let rowMax = matrix.map { max($0.reduce(0, +), 1) }
        let offMax = max(1, (0..<10).flatMap { a in (0..<10).filter { $0 != a }.map { matrix[a][$0] } }.max() ?? 1)
        for d in 0..<10 {
            canvas.text("\(d)", in: .init(x: grid.x + Double(d) * cell, y: box.y + 14, width: cell, height: label), size: 9,
                        bold: true, align: .center)
            canvas.text("\(d)", in: .init(x: box.x + 14, y: grid.y + Double(d) * cell, width: label - 2, height: cell), size: 9,
                        bold: true, align: .right)
        }
        for a in 0..<10 {
            for p in 0..<10 {
                let n = matrix[a][p]
                let r = CairoCanvas.Rect(x: grid.x + Double(p) * cell, y: grid.y + Double(a) * cell, width: cell, height: cell)
                let color: CairoCanvas.Color
                var dark = false
                if n == 0 {
                    color = .gray(0.97)
                } else if a == p {
                    let s = Double(n) / Double(rowMax[a])
                    color = .init(1 - 0.8 * s, 1 - 0.55 * s, 1 - 0.2 * s)
                    dark = s > 0.6
                } else {
                    let s = 0.25 + 0.75 * Double(n) / Double(offMax)
                    color = .init(1 - 0.1 * s, 1 - 0.75 * s, 1 - 0.75 * s)
                    dark = s > 0.7
                }
                canvas.fill(r, color)
                canvas.stroke(r, .white, lineWidth: 0.6)
                if n > 0 {
                    canvas.text("\(n)", in: r.inset(1.5), size: 8, color: dark ? .white : .black, align: .center, minSize: 4)
                }
            }
        }
    }
}
