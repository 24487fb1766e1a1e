import NumeralVision

/// A texture kept between frames and uploaded again only when what it shows changes: the
/// model's input, the dropped picture, the camera frame, the Explain view's maps, a chart's lines.
final class CachedTexture<Content: Equatable> {
    private let style: Texture.Style
    private var texture: Texture?
    private var content: Content?

    init(_ style: Texture.Style) { self.style = style }

    /// The texture showing `content` at `width`×`height` pixels; `upload` fills it only when
    /// `content` or the size changed. Nil for an empty size.
    func texture(for content: Content, width: Int, height: Int, renderer: Renderer,
                 upload: (Texture) -> Void) throws -> Texture? {
        guard width > 0, height > 0 else { return nil }
        if let texture, texture.width == width, texture.height == height {
            if self.content == content { return texture }
        } else {
            texture = nil
            self.content = nil
            texture = try renderer.makeTexture(width: width, height: height, style: style)
        }
        guard let texture else { return nil }
        upload(texture)
        self.content = content
        return texture
    }
}

extension CachedTexture where Content == GrayImage {
    /// A gray image's levels: opaque gray when the style does not blend, tintable coverage when it does.
    func texture(for image: GrayImage, renderer: Renderer) throws -> Texture? {
        try texture(for: image, width: image.width, height: image.height, renderer: renderer) {
            $0.update(levels: image.pixels, asCoverage: style.blends)
        }
    }
}
