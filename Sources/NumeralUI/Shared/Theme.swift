/// A color with 8-bit channels, straight (not premultiplied) alpha.
public struct RGBA: Equatable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public var a: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }
    public init(hex: UInt32, alpha: UInt8 = 255) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF), alpha)
    }
    public func withAlpha(_ a: UInt8) -> RGBA { RGBA(r, g, b, a) }
}

public enum ThemeName: String, Equatable, Sendable, CaseIterable {
    case light
    case dark

    public var toggled: ThemeName { self == .light ? .dark : .light }
    public var palette: Palette { self == .light ? .light : .dark }
}

/// Every color the window uses, per theme, so no drawing code picks colors on its own.
public struct Palette: Equatable, Sendable {
    public let background: RGBA
    public let header: RGBA
    public let card: RGBA
    public let cardBorder: RGBA
    public let text: RGBA
    public let mutedText: RGBA
    public let accent: RGBA
    public let onAccent: RGBA
    public let accentHover: RGBA
    public let button: RGBA
    public let buttonHover: RGBA
    public let buttonPressed: RGBA
    public let buttonBorder: RGBA
    public let paper: RGBA
    public let ink: RGBA
    public let canvasHint: RGBA
    public let barTrack: RGBA
    public let bar: RGBA
    public let winnerBar: RGBA
    public let insetGrid: RGBA
    public let success: RGBA
    public let error: RGBA
    public let warning: RGBA

    public static let light = Palette(
        background: RGBA(hex: 0xF2F4F7), header: RGBA(hex: 0xFFFFFF), card: RGBA(hex: 0xFFFFFF),
        cardBorder: RGBA(hex: 0xDDE1E8), text: RGBA(hex: 0x1B2230), mutedText: RGBA(hex: 0x697386),
        accent: RGBA(hex: 0x2F6FED), onAccent: RGBA(hex: 0xFFFFFF), accentHover: RGBA(hex: 0x255ED1),
        button: RGBA(hex: 0xEEF1F5), buttonHover: RGBA(hex: 0xE2E7EE), buttonPressed: RGBA(hex: 0xD3DAE4),
        buttonBorder: RGBA(hex: 0xD5DAE2), paper: RGBA(hex: 0xFFFFFF), ink: RGBA(hex: 0x111827),
        canvasHint: RGBA(hex: 0xB4BBC7), barTrack: RGBA(hex: 0xEEF1F5), bar: RGBA(hex: 0xB9C3D3),
        winnerBar: RGBA(hex: 0x2F6FED), insetGrid: RGBA(hex: 0x3A4252), success: RGBA(hex: 0x1E8E3E),
        error: RGBA(hex: 0xC62828), warning: RGBA(hex: 0xB26A00))

    public static let dark = Palette(
        background: RGBA(hex: 0x14171C), header: RGBA(hex: 0x1B1F26), card: RGBA(hex: 0x1F242C),
        cardBorder: RGBA(hex: 0x2F3540), text: RGBA(hex: 0xE7EAF0), mutedText: RGBA(hex: 0x98A2B3),
        accent: RGBA(hex: 0x5B8CFF), onAccent: RGBA(hex: 0x0C1020), accentHover: RGBA(hex: 0x7AA2FF),
        button: RGBA(hex: 0x2A303A), buttonHover: RGBA(hex: 0x343B47), buttonPressed: RGBA(hex: 0x3F4755),
        buttonBorder: RGBA(hex: 0x3A414D), paper: RGBA(hex: 0x101318), ink: RGBA(hex: 0xF3F5F8),
        canvasHint: RGBA(hex: 0x4A5262), barTrack: RGBA(hex: 0x2A303A), bar: RGBA(hex: 0x566073),
        winnerBar: RGBA(hex: 0x5B8CFF), insetGrid: RGBA(hex: 0x3A4252), success: RGBA(hex: 0x4CC26E),
        error: RGBA(hex: 0xFF6B6B), warning: RGBA(hex: 0xF0B050))
}
