/// What can go wrong reading or matching a model file, phrased so the user knows what to do.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case tooSmall(path: String, size: Int)
    case headerTooLarge(path: String, declared: UInt64, limit: Int)
    case headerOutsideFile(path: String, declared: UInt64, fileSize: Int)
    case invalidHeader(path: String, reason: String)
    case unsupportedDType(path: String, tensor: String, dtype: String)
    case offsetsOutOfRange(path: String, tensor: String)
    case sizeMismatch(path: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    case overlap(path: String, first: String, second: String)
    case missingTensor(path: String, tensor: String)
    case unexpectedTensor(path: String, tensor: String)
    case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
    case nonFinite(path: String, tensor: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(p, r): return "Cannot read model file \(p): \(r)."
        case let .tooSmall(p, s): return "\(p) is not a safetensors file: only \(s) bytes."
        case let .headerTooLarge(p, d, l):
            return "\(p): the header claims \(d) bytes, more than the \(l)-byte limit; the file is corrupt or not safetensors."
        case let .headerOutsideFile(p, d, s):
            return "\(p): the header claims \(d) bytes but the file has only \(s); the file is truncated."
        case let .invalidHeader(p, r): return "\(p): the safetensors header is not valid JSON metadata (\(r))."
        case let .unsupportedDType(p, t, d): return "\(p): tensor \(t) has dtype \(d); only F32 is supported."
        case let .offsetsOutOfRange(p, t): return "\(p): tensor \(t) points outside the file; the file is truncated or corrupt."
        case let .sizeMismatch(p, t, e, a):
            return "\(p): tensor \(t) should take \(e) bytes for its shape but its offsets span \(a)."
        case let .overlap(p, a, b): return "\(p): tensors \(a) and \(b) overlap; the file is corrupt."
        case let .missingTensor(p, t): return "\(p) has no tensor \(t) that the architecture needs; it was made for a different model."
        case let .unexpectedTensor(p, t): return "\(p) has a tensor \(t) the architecture does not use; it was made for a different model."
        case let .shapeMismatch(p, t, e, f):
            return "\(p): tensor \(t) has shape \(f) but the architecture needs \(e); the model card and weights disagree."
        case let .nonFinite(p, t): return "\(p): tensor \(t) contains NaN or infinite values; the model is damaged, retrain or roll back."
        case let .unwritable(p, r): return "Cannot write model file \(p): \(r)."
        }
    }
}
