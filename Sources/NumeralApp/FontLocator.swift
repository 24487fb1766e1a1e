import CFontconfig
import Foundation
import NumeralSession

/// Finds font files: asks fontconfig first (the font the desktop would pick), then falls
/// back to the paths Debian's fonts-dejavu-core installs.
public enum FontLocator {
    public enum Weight: Sendable { case regular, bold }

    public static let fallbackPaths: [Weight: [String]] = [
        .regular: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
        .bold: ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
    ]

    /// The file for DejaVu Sans in the given weight.
    public static func locate(_ weight: Weight) throws -> String {
        let query = weight == .bold ? "DejaVu Sans:bold" : "DejaVu Sans"
        if let path = fontconfigMatch(query), FileManager.default.isReadableFile(atPath: path) {
            return path
        }
        let candidates = fallbackPaths[weight] ?? []
        if let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) {
            return path
        }
        throw AppError.noFont(searched: candidates)
    }

    private static func fontconfigMatch(_ name: String) -> String? {
        guard let config = FcInitLoadConfigAndFonts() else { return nil }
        defer { FcConfigDestroy(config) }
        guard let pattern = name.withCString({ FcNameParse(UnsafeRawPointer($0).assumingMemoryBound(to: FcChar8.self)) }) else {
            return nil
        }
        defer { FcPatternDestroy(pattern) }
        FcConfigSubstitute(config, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(config, pattern, &result) else { return nil }
        defer { FcPatternDestroy(match) }
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch, let file else { return nil }
        return String(cString: UnsafeRawPointer(file).assumingMemoryBound(to: CChar.self))
    }
}
