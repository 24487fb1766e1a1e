/// Why the token file could not be used or changed.
public enum TokenError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case missing(path: String)
    case unwritable(path: String, reason: String)
    case unknownToken(id: String)
    case invalidName(String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "The token file \(path) cannot be read: \(reason). Fix or remove it (removing it revokes every token)."
        case let .missing(path):
            return "The token file \(path) does not exist. `numeral serve token create --role admin --tokens-file \(path)` "
                + "makes it; without --tokens-file (and $NUMERAL_TOKENS_FILE) the data directory's server-tokens.json is used."
        case let .unwritable(path, reason):
            return "The token file \(path) cannot be written: \(reason). Check the data directory's permissions."
        case let .unknownToken(id):
            return "There is no token \(id); `numeral serve token list` shows the ids."
        case let .invalidName(reason):
            return "The token name is not usable: \(reason)."
        }
    }
}
