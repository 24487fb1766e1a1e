/// A pixel buffer in SDL_PIXELFORMAT_ABGR8888 (bytes R,G,B,A in memory on little-endian)
/// holding white with per-pixel coverage in alpha. Drawn as a texture tinted by color mod,
/// so switching themes recolors ink without re-rasterizing.
///
/// Strokes are stamped as round-capped capsules with coverage-based anti-aliasing: each
/// pixel's alpha is how much of it the brush covers, combined with max() so overlapping
/// segments of one stroke never darken their joints.
public struct CoverageCanvas {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var pixels: [UInt32]
    /// The region changed since the last `takeDirtyRect()`, in pixels: (x, y, w, h).
    private var dirty: (minX: Int, minY: Int, maxX: Int, maxY: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        pixels = [UInt32](repeating: CoverageCanvas.white, count: self.width * self.height)
    }

    static let white: UInt32 = 0x00FF_FFFF

    public func coverage(x: Int, y: Int) -> UInt8 {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return UInt8(truncatingIfNeeded: pixels[y * width + x] >> 24)
    }

    public mutating func clear() {
        for i in pixels.indices { pixels[i] = CoverageCanvas.white }
        dirty = width > 0 && height > 0 ? (0, 0, width, height) : nil
    }

    /// Stamps a segment from a to b whose brush radius goes from ra to rb (pixels).
    /// A segment with a == b stamps a round dot.
    public mutating func stampSegment(ax: Double, ay: Double, ra: Double, bx: Double, by: Double, rb: Double) {
        guard ax.isFinite, ay.isFinite, bx.isFinite, by.isFinite, ra.isFinite, rb.isFinite,
              width > 0, height > 0 else { return }
        let rMax = max(ra, rb, 0.5)
        let x0 = max(0, Int((min(ax, bx) - rMax - 1).rounded(.down)))
        let y0 = max(0, Int((min(ay, by) - rMax - 1).rounded(.down)))
        let x1 = min(width - 1, Int((max(ax, bx) + rMax + 1).rounded(.up)))
        let y1 = min(height - 1, Int((max(ay, by) + rMax + 1).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }

        let dx = bx - ax, dy = by - ay
        let lengthSquared = dx * dx + dy * dy
        let inverseLength = lengthSquared > 1e-12 ? 1 / lengthSquared : 0
        let w = width
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in y0...y1 {
                let py = Double(y) + 0.5
                let row = y * w
                for x in x0...x1 {
                    let px = Double(x) + 0.5
                    // Nearest point on the segment, then distance to it.
                    var t = ((px - ax) * dx + (py - ay) * dy) * inverseLength
                    t = t < 0 ? 0 : (t > 1 ? 1 : t)
                    let nx = ax + t * dx - px, ny = ay + t * dy - py
                    let distance = (nx * nx + ny * ny).squareRoot()
                    let radius = ra + (rb - ra) * t
                    let c = radius + 0.5 - distance
                    if c <= 0 { continue }
                    let alpha = UInt32(c >= 1 ? 255 : (c * 255).rounded())
                    let old = buffer[row + x] >> 24
                    if alpha > old { buffer[row + x] = (alpha << 24) | CoverageCanvas.white }
                }
            }
        }
        markDirty(x0, y0, x1 + 1, y1 + 1)
    }

    /// Returns and forgets the changed region, or nil when nothing changed.
    public mutating func takeDirtyRect() -> (x: Int, y: Int, width: Int, height: Int)? {
        guard let d = dirty else { return nil }
        dirty = nil
        return (d.minX, d.minY, d.maxX - d.minX, d.maxY - d.minY)
    }

    private mutating func markDirty(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        if let d = dirty {
            dirty = (min(d.minX, x0), min(d.minY, y0), max(d.maxX, x1), max(d.maxY, y1))
        } else {
            dirty = (x0, y0, x1, y1)
        }
    }
}
