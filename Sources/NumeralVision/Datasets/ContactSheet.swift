/// A grid of digit images with a short caption of digits and symbols under each, written as one
/// RGBA picture — how `numeral eval` shows its most confident mistakes. Captions use a built-in
/// 3×5 pixel font, so no font library is needed on a headless machine.
public struct ContactSheet {
    public struct Cell {
        public var image: GrayImage
        public var caption: String
        public init(image: GrayImage, caption: String) {
            self.image = image
            self.caption = caption
        }
    }

    public var columns: Int
    public var scale: Int

    public init(columns: Int = 10, scale: Int = 3) {
        self.columns = max(1, columns)
        self.scale = max(1, scale)
    }

    /// Renders the cells (dark ink on white) and returns (width, height, rgba).
    public func render(_ cells: [Cell]) -> (width: Int, height: Int, rgba: [UInt8]) {
        let side = 28 * scale, captionHeight = 14, pad = 6
        let cellW = side + pad, cellH = side + captionHeight + pad
        let rows = max(1, (cells.count + columns - 1) / columns)
        let width = columns * cellW + pad, height = rows * cellH + pad
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        func set(_ x: Int, _ y: Int, _ v: UInt8, red: Bool = false) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 4
            rgba[i] = red ? 200 : v
            rgba[i + 1] = red ? 30 : v
            rgba[i + 2] = red ? 30 : v
            rgba[i + 3] = 255
        }
        for (index, cell) in cells.enumerated() {
            let ox = pad + (index % columns) * cellW, oy = pad + (index / columns) * cellH
            for y in 0..<side {
                for x in 0..<side {
                    let sx = min(cell.image.width - 1, x * cell.image.width / side)
                    let sy = min(cell.image.height - 1, y * cell.image.height / side)
                    let ink = max(0, min(1, cell.image[sx, sy]))
                    set(ox + x, oy + y, UInt8(255 - ink * 255))
                }
            }
            var cx = ox
            for ch in cell.caption {
                guard let rows = Self.glyphs[ch] else { cx += 4 * 2; continue }
                for (gy, bits) in rows.enumerated() {
                    for gx in 0..<3 where bits & (4 >> gx) != 0 {
                        for dy in 0..<2 { for dx in 0..<2 { set(cx + gx * 2 + dx, oy + side + 3 + gy * 2 + dy, 0, red: true) } }
                    }
                }
                cx += 4 * 2
            }
        }
        return (width, height, rgba)
    }

    /// 3×5 glyphs, one row per entry, bit 2 = left column.
    static let glyphs: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7],
        "4": [5, 5, 7, 1, 1], "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 2, 2],
        "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7], ">": [4, 2, 1, 2, 4], "%": [5, 1, 2, 4, 5],
        ".": [0, 0, 0, 0, 2], "-": [0, 0, 7, 0, 0],
    ]
}
