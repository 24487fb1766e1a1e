import Foundation

/// One combined geometric map: an affine part (rotation, scale, shear, shift) about the image
/// centre plus a smooth elastic displacement, evaluated per output pixel as a source position.
struct AugmentWarp {
    /// Inverse affine matrix (output -> source) and the centre it acts about.
    var inverse: (a: Float, b: Float, c: Float, d: Float)
    var shiftX: Float
    var shiftY: Float
    var centerX: Float
    var centerY: Float

    /// Elastic displacement at `(cells + 1)^2` control points, x and y interleaved; empty = none.
    /// A coarse random grid upsampled bilinearly is a cheap stand-in for Simard's Gaussian-smoothed
    /// noise: the spacing plays sigma's role, and there is no per-image convolution to pay for.
    var cellsX: Int
    var cellsY: Int

    /// The map for these affine parameters, with no elastic part. Positive `angle` (radians) turns
    /// the digit clockwise on screen (y points down); `aspect` scales x relative to y.
    init(angle: Float, scale: Float, aspect: Float, shear: Float, shiftX: Float, shiftY: Float,
         width: Int, height: Int) {
        // Forward map M = Rotation * Shear * Scale, acting about the image centre.
        let sx = scale * aspect, sy = scale
        let cosA = cos(angle), sinA = sin(angle)
        let m00 = cosA * sx, m01 = (cosA * shear - sinA) * sy
        let m10 = sinA * sx, m11 = (sinA * shear + cosA) * sy
        let det = m00 * m11 - m01 * m10  // = sx * sy, positive for any sane scale
        let safeDet = abs(det) < 1e-6 ? 1 : det
        inverse = (a: m11 / safeDet, b: -m01 / safeDet, c: -m10 / safeDet, d: m00 / safeDet)
        self.shiftX = shiftX
        self.shiftY = shiftY
        centerX = Float(width - 1) / 2
        centerY = Float(height - 1) / 2
        cellsX = 0
        cellsY = 0
    }

    /// Resamples `src` through the map into `dst` with bilinear interpolation (zero outside).
    /// `control` holds the elastic grid when `cellsX > 0`.
    func resample(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, width: Int, height: Int,
                  control: UnsafePointer<Float>?) {
        let (a, b, c, d) = inverse
        let gridStepX = cellsX > 0 ? Float(cellsX) / Float(max(1, width - 1)) : 0
        let gridStepY = cellsY > 0 ? Float(cellsY) / Float(max(1, height - 1)) : 0
        let stride = cellsX + 1
        let maxX = Float(width - 1)
        let maxY = Float(height - 1)
        for y in 0..<height {
            let oy = Float(y) - centerY - shiftY
            // Row-constant parts of the affine map; x then advances them linearly.
            var sx = b * oy + centerX - a * (centerX + shiftX)
            var sy = d * oy + centerY - c * (centerX + shiftX)
            var rowTop: UnsafePointer<Float>? = nil
            var fy: Float = 0
            if let control {
                let gy = Float(y) * gridStepY
                let iy = min(Int(gy), cellsY - 1)
                fy = gy - Float(iy)
                rowTop = control + iy * stride * 2
            }
            let out = dst + y * width
            for x in 0..<width {
                var px = sx
                var py = sy
                if let top = rowTop {
                    let gx = Float(x) * gridStepX
                    let ix = min(Int(gx), cellsX - 1)
                    let fx = gx - Float(ix)
                    let p00 = top + ix * 2
                    let p10 = p00 + 2
                    let p01 = p00 + stride * 2
                    let p11 = p01 + 2
                    let w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy
                    px += w00 * p00[0] + w10 * p10[0] + w01 * p01[0] + w11 * p11[0]
                    py += w00 * p00[1] + w10 * p10[1] + w01 * p01[1] + w11 * p11[1]
                }
                out[x] = Self.sample(src, width: width, height: height, maxX: maxX, maxY: maxY, x: px, y: py)
                sx += a
                sy += c
            }
        }
    }

    @inline(__always)
    static func sample(_ src: UnsafePointer<Float>, width: Int, height: Int, maxX: Float, maxY: Float,
                       x: Float, y: Float) -> Float {
        // Anything a full pixel beyond the border reads as paper.
        guard x > -1, y > -1, x < maxX + 1, y < maxY + 1 else { return 0 }
        let fx0 = x.rounded(.down), fy0 = y.rounded(.down)
        let tx = x - fx0, ty = y - fy0
        let x0 = Int(fx0), y0 = Int(fy0)
        if x0 >= 0, y0 >= 0, x0 + 1 < width, y0 + 1 < height {
            let p = src + y0 * width + x0
            let top = p[0] + tx * (p[1] - p[0])
            let bottom = p[width] + tx * (p[width + 1] - p[width])
            return top + ty * (bottom - top)
        }
        // Border pixels: fetch each tap separately, treating outside as 0.
        @inline(__always) func at(_ xx: Int, _ yy: Int) -> Float {
            xx >= 0 && yy >= 0 && xx < width && yy < height ? src[yy * width + xx] : 0
        }
        let top = at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx
        let bottom = at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx
        return top * (1 - ty) + bottom * ty
    }
}
