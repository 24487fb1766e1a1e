/// Uniform draws used by the augmenter; kept tiny so the hot path stays branch-free.
extension RandomNumberGenerator {
    /// Uniform in [0, 1) with 24 bits of randomness — exactly what a Float holds.
    @inline(__always)
    mutating func unitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [-limit, limit).
    @inline(__always)
    mutating func symmetric(_ limit: Float) -> Float { (unitFloat() * 2 - 1) * limit }

    /// Uniform in `range`.
    @inline(__always)
    mutating func uniform(_ range: ClosedRange<Float>) -> Float {
        range.lowerBound + unitFloat() * (range.upperBound - range.lowerBound)
    }
}
