/// What can go wrong drawing a report or an explanation picture, worded for the person who asked.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case cannotDraw(path: String?, reason: String)
    case cannotWrite(path: String, reason: String)
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .cannotDraw(path?, r): return "Cannot write \(path): \(r). Check that the folder exists and is writable."
        case let .cannotDraw(nil, r): return "Cannot draw the picture: \(r)."
        case let .cannotWrite(p, r): return "Cannot write \(p): \(r). Check that the folder exists and is writable."
        case let .invalidRequest(r): return r
        }
    }
}
