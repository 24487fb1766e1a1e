/// Colors of the confusion heatmap. Correct reads (the diagonal) and mistakes use different
/// hues, so a row that is 3% wrong is visible next to one that is 97% right; intensity
/// follows the square root of the row-normalized rate for the same reason.
public enum HeatmapColor {
    /// 0...1 strength of a cell's color for a row rate. Any non-zero rate gets at least
    /// `floor`, so a single mistake among hundreds still shows.
    public static func intensity(rate: Double) -> Double {
        guard rate.isFinite, rate > 0 else { return 0 }
        return floor + (1 - floor) * min(rate, 1).squareRoot()
    }

    public static let floor = 0.15

    /// The cell fill. `rate` is nil when nobody has written that row's digit yet.
    public static func fill(rate: Double?, onDiagonal: Bool, palette: Palette) -> RGBA {
        guard let rate else { return palette.background }
        let strong = onDiagonal ? palette.accent : palette.heatMistake
        return mix(palette.barTrack, strong, intensity(rate: rate))
    }

    /// Text drawn over a cell stays readable on both pale and saturated fills.
    public static func text(rate: Double?, palette: Palette) -> RGBA {
        guard let rate, intensity(rate: rate) > 0.6 else { return palette.text }
        return RGBA(255, 255, 255)
    }

    /// Linear blend in sRGB; `t` 0 gives `a`, 1 gives `b`.
    public static func mix(_ a: RGBA, _ b: RGBA, _ t: Double) -> RGBA {
        let t = t.isFinite ? min(max(t, 0), 1) : 0
        func channel(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded())
        }
        return RGBA(channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b), channel(a.a, b.a))
    }
}

extension Palette {
    /// Saturated color for mistakes in the heatmap (warm, unlike the accent used for correct reads).
    public var heatMistake: RGBA { self == .light ? RGBA(hex: 0xE8590C) : RGBA(hex: 0xFF8A4C) }
    /// The second series in charts (validation curves, count bars use `bar`).
    public var chartSecondary: RGBA { self == .light ? RGBA(hex: 0xE8590C) : RGBA(hex: 0xFF8A4C) }
}
