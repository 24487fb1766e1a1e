import NumeralVision

/// Colors of the explain view's evidence maps: the input's ink faintly in the background, red
/// where ink speaks for the digit, blue where it speaks against it; stronger = more saturated.
public enum EvidenceColor {
    public static let support = RGBA(hex: 0xD6336C)
    public static let against = RGBA(hex: 0x1C7ED6)

    /// `value` is the map's evidence (full color at ±1), `ink` the input pixel 0...1.
    public static func color(value: Float, ink: Float, palette: Palette) -> RGBA {
        let inkLevel = Double(ink.isFinite ? min(max(ink, 0), 1) : 0)
        let base = HeatmapColor.mix(palette.card, palette.mutedText, 0.35 * inkLevel)
        guard value.isFinite, value != 0 else { return base }
        let strength = min(Double(abs(value)), 1).squareRoot()
        return HeatmapColor.mix(base, value > 0 ? support : against, strength)
    }

    /// Gradient maps have a few strong pixels and many weak ones: for display, the strongest tenth
    /// of the nonzero pixels get full color, so the rest are not washed out by one peak.
    public static func displayGain(_ map: [Float]) -> Float {
        let magnitudes = map.lazy.filter { $0.isFinite && $0 != 0 }.map(abs).sorted()
        guard !magnitudes.isEmpty else { return 1 }
        let q = magnitudes[min(magnitudes.count - 1, Int(Double(magnitudes.count) * 0.9))]
        return q > 0 ? 1 / q : 1
    }

    /// The whole map as ABGR8888 pixels (SDL's byte order R, G, B, A), row by row.
    public static func pixels(map: [Float], input: GrayImage, palette: Palette) -> [UInt32] {
        let n = min(map.count, input.pixels.count)
        let gain = displayGain(map)
        return (0..<n).map { i in
            let c = color(value: map[i] * gain, ink: input.pixels[i], palette: palette)
            return UInt32(c.a) << 24 | UInt32(c.b) << 16 | UInt32(c.g) << 8 | UInt32(c.r)
        }
    }
}
