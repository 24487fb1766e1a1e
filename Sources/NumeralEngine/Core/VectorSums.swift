/// Sums over float rows with sixteen independent lanes. A plain `for` loop that adds into one
/// accumulator is a chain of dependent additions the compiler may not reorder (that would change
/// the rounding), so it runs at one element per add latency; sixteen lanes let it vectorize. The
/// order of the additions is fixed by the row length alone, so results are deterministic.
enum VectorSums {
    typealias Lanes = SIMD16<Float>

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    /// Σ x[i].
    static func sum(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        var acc = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= n {
            acc += load(x + i)
            i += 16
        }
        var s = acc.sum()
        while i < n {
            s += x[i]
            i += 1
        }
        return s
    }

    /// (Σ x[i], Σ x[i]²).
    static func sumAndSquares(_ x: UnsafePointer<Float>, count n: Int) -> (Float, Float) {
        var a = Lanes(repeating: 0), b = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= n {
            let v = load(x + i)
            a += v
            b.addProduct(v, v)
            i += 16
        }
        var s = a.sum(), q = b.sum()
        while i < n {
            s += x[i]
            q += x[i] * x[i]
            i += 1
        }
        return (s, q)
    }

    /// (Σ g[i], Σ g[i]·h[i]) where g is `dy` masked to the positions where `out` is positive when
    /// `rectified` (the gradient through a ReLU whose output is `out`), else `dy` itself.
    static func gradientSums(_ dy: UnsafePointer<Float>, _ h: UnsafePointer<Float>, out: UnsafePointer<Float>,
                             rectified: Bool, count n: Int) -> (Float, Float) {
        var a = Lanes(repeating: 0), b = Lanes(repeating: 0)
        let zero = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= n {
            var g = load(dy + i)
            if rectified { g.replace(with: zero, where: load(out + i) .<= zero) }
            a += g
            b.addProduct(g, load(h + i))
            i += 16
        }
        var s = a.sum(), p = b.sum()
        while i < n {
            let g: Float = !rectified || out[i] > 0 ? dy[i] : 0
            s += g
            p += g * h[i]
            i += 1
        }
        return (s, p)
    }

    /// dx[i] = k · (m · g[i] − sumG − h[i] · sumGH), with g as in `gradientSums`: batch norm's input
    /// gradient, written with explicit lanes because the masked load does not vectorize on its own.
    static func batchNormInputGradient(_ dy: UnsafePointer<Float>, _ h: UnsafePointer<Float>, out: UnsafePointer<Float>,
                                       rectified: Bool, k: Float, m: Float, sumG: Float, sumGH: Float,
                                       into dx: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = Lanes(repeating: 0)
        let kv = Lanes(repeating: k), mv = Lanes(repeating: m)
        let sg = Lanes(repeating: sumG), sgh = Lanes(repeating: sumGH)
        var i = 0
        while i + 16 <= n {
            var g = load(dy + i)
            if rectified { g.replace(with: zero, where: load(out + i) .<= zero) }
            let v = kv * (mv * g - sg - load(h + i) * sgh)
            UnsafeMutableRawPointer(dx + i).storeBytes(of: v, as: Lanes.self)
            i += 16
        }
        while i < n {
            let g: Float = !rectified || out[i] > 0 ? dy[i] : 0
            dx[i] = k * (m * g - sumG - h[i] * sumGH)
            i += 1
        }
    }

    /// dst[i] = src[i] + b, set to 0 where negative when `relu` (the convolution's bias pass).
    static func addBias(_ b: Float, relu: Bool, from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count n: Int) {
        let bv = Lanes(repeating: b), zero = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= n {
            var v = load(src + i) + bv
            if relu { v.replace(with: zero, where: v .< zero) }
            UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: Lanes.self)
            i += 16
        }
        while i < n {
            let v = src[i] + b
            dst[i] = relu && v < 0 ? 0 : v
            i += 1
        }
    }

    /// dx[i] = dy[i] where out[i] > 0, else 0: ReLU's backward pass without a branch per element
    /// (the signs of activations are random, so a branch mispredicts about half the time).
    static func reluGradient(_ dy: UnsafePointer<Float>, out: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= n {
            var g = load(dy + i)
            g.replace(with: zero, where: load(out + i) .<= zero)
            UnsafeMutableRawPointer(dx + i).storeBytes(of: g, as: Lanes.self)
            i += 16
        }
        while i < n {
            dx[i] = out[i] > 0 ? dy[i] : 0
            i += 1
        }
    }
}
