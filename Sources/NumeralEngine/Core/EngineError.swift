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
    case negativeVariance(path: String, tensor: String, index: Int, value: Float)
    case nonFiniteOutput(path: String)
    case unboundedActivations(path: String, bound: Double)

    public var description: String {
        switch self {
        case let .unreadable(p, r): return "Cannot read model file \(p): \(r)."
        case let .tooSmall(p, s): return "\(p) is not a safetensors file: it has only \(s) bytes. Pass the .safetensors weights of a trained model."
        case let .headerTooLarge(p, d, l):
            return "\(p): the header claims \(d) bytes, more than the \(l)-byte limit; the file is corrupt or not safetensors."
        case let .headerOutsideFile(p, d, s):
            return "\(p): the header length field claims a \(d)-byte header, but only \(max(0, s - 8)) bytes follow it "
                + "(the file has \(s) bytes); the file is truncated or not safetensors. Copy or download it again."
        case let .invalidHeader(p, r): return "\(p): the safetensors header is not valid JSON metadata (\(r)); the file is damaged or not safetensors. Copy or download it again."
        case let .unsupportedDType(p, t, d): return "\(p): tensor \(t) has dtype \(d); only F32 is supported. Save the weights as float32."
        case let .offsetsOutOfRange(p, t): return "\(p): tensor \(t) points outside the file; the file is truncated or corrupt. Copy or download it again."
        case let .sizeMismatch(p, t, e, a):
            let need = e < 0 ? "its shape is impossibly large" : "its shape needs \(e) bytes"
            return "\(p): tensor \(t): \(need) but its data_offsets span \(a); the file is damaged. Copy or download it again."
        case let .overlap(p, a, b): return "\(p): tensors \(a) and \(b) overlap; the file is corrupt. Copy or download it again."
        case let .missingTensor(p, t): return "\(p) has no tensor \(t) that the architecture needs; it was made for a different model."
        case let .unexpectedTensor(p, t): return "\(p) has a tensor \(t) the architecture does not use; it was made for a different model."
        case let .shapeMismatch(p, t, e, f):
            return "\(p): tensor \(t) has shape \(f) but the architecture needs \(e); the model card and weights disagree."
        case let .nonFinite(p, t): return "\(p): tensor \(t) contains NaN or infinite values; the model is damaged, retrain or roll back."
        case let .unwritable(p, r): return "Cannot write model file \(p): \(r)."
        case let .negativeVariance(p, t, i, v):
            return "\(p): batch-norm variance \(t)[\(i)] is \(v); variances cannot be negative, so the model would "
                + "output NaN. The file is damaged: retrain or roll back to another model."
        case let .nonFiniteOutput(p):
            return "\(p): the model outputs NaN or infinite values on a test input; its weights are damaged or "
                + "out of range. Retrain or roll back to another model."
        case let .unboundedActivations(p, bound):
            let size = bound.isFinite ? String(format: "%.1e", bound) : "beyond any float"
            return "\(p): the weights are so large that some drawing could overflow the network's 32-bit arithmetic "
                + "(activations could reach \(size)); the file is damaged or was never trained. Retrain or roll back to another model."
        }
    }
}
