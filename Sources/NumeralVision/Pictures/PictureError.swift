/// Why a picture could not be turned into model input.
public enum PictureError: Error, CustomStringConvertible, Equatable {
    /// Nothing that looks like ink was found (blank page, uniform colour, or only specks).
    case noInk(width: Int, height: Int)

    public var description: String {
        switch self {
        case let .noInk(width, height):
            return "No digit found in the \(width)x\(height) picture: it looks blank. "
                + "Use a picture with a clearly visible digit (dark on light or light on dark)."
        }
    }
}
