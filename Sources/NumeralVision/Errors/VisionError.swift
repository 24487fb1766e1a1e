/// Everything that can go wrong turning drawings, pictures and data files into model input.
/// Each case carries enough context for the message to tell a user what to fix.
public enum VisionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The drawing has no points at all, so there is nothing to recognize.
    case nothingDrawn
    /// A coordinate is NaN or infinite; indices are zero-based positions in the drawing.
    case nonFiniteCoordinate(stroke: Int, point: Int)
    /// A drawing's JSON could not be decoded; `line` is 1-based for JSON Lines files, nil for a whole file.
    case invalidDrawingJSON(line: Int?, reason: String)
    /// A file does not exist at the given path.
    case fileNotFound(path: String)
    /// A file exists but could not be read (permissions, I/O error, a directory...).
    case unreadableFile(path: String, reason: String)
    /// A file could not be written.
    case unwritableFile(path: String, reason: String)
    /// A file's extension does not say which format it holds.
    case unsupportedFileExtension(path: String, supported: [String])
    /// The pen digits data set file is not in the expected format.
    case invalidPenDigits(path: String, reason: String)
    /// A DigiLeTs file or folder (characters as pen trajectories) is not in the expected format.
    case invalidDigiLeTs(path: String, reason: String)
    /// A drawing holds more points than `Drawing.maxPoints`.
    case tooManyPoints(count: Int, limit: Int)
    /// A drawing or picture splits into more digits than can be recognized at once.
    case tooManyDigits(count: Int, limit: Int)
    /// A caller asked for something the format cannot hold (e.g. several drawings in one `.json` file).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .nothingDrawn:
            return "Nothing is drawn yet: draw a digit first."
        case let .nonFiniteCoordinate(stroke, point):
            return "Stroke \(stroke + 1), point \(point + 1) has a coordinate that is not a finite number; "
                + "the drawing is corrupt and cannot be recognized."
        case let .invalidDrawingJSON(line?, reason):
            return "Line \(line) is not a valid drawing: \(reason). Expected "
                + #"{"strokes": [[[x, y], ...], ...]} on each line."#
        case let .invalidDrawingJSON(nil, reason):
            return "The file is not a valid drawing: \(reason). Expected "
                + #"{"strokes": [[[x, y], ...], ...], "width": w, "height": h}."#
        case let .fileNotFound(path):
            return "No file at \(path): check the path."
        case let .unreadableFile(path, reason):
            return "Cannot read \(path): \(reason)."
        case let .unwritableFile(path, reason):
            return "Cannot write \(path): \(reason). Check that the folder exists and is writable."
        case let .unsupportedFileExtension(path, supported):
            return "Do not know the format of \(path): use one of the extensions "
                + supported.map { "." + $0 }.joined(separator: ", ") + "."
        case let .invalidPenDigits(path, reason):
            return "\(path) is not a pen digits data set: \(reason). Expected a JSON array of "
                + #"{"label", "writer", "writer_sample", "strokes"} objects."#
        case let .invalidDigiLeTs(path, reason):
            return "\(path) is not DigiLeTs data: \(reason). Expected two lines per character: its points as "
                + "\"x y pressure pen_down t\" groups, then a one-hot vector of 62 classes (0-9, a-z, A-Z)."
        case let .tooManyPoints(count, limit):
            return "The drawing has \(count) points; at most \(limit) are accepted. Draw fewer or shorter strokes, "
                + "or split the drawing into several."
        case let .tooManyDigits(count, limit):
            return "The input splits into \(count) separate digits; at most \(limit) are read at once. "
                + "Recognize a shorter number, or one part at a time."
        case let .invalidRequest(message):
            return message
        }
    }
}
