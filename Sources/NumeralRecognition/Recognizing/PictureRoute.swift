/// How a picture is read: by what its pixels look like (`automatic`, the default everywhere), or
/// forced through the photo reader (`photo`) or the bitmap/scan path (`scan`).
public enum PictureRoute: String, Sendable, CaseIterable {
    case automatic
    case photo
    case scan
}
