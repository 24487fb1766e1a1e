/// What can go wrong explaining a network's output.
public enum AttributionError: Error, CustomStringConvertible, Equatable {
    case unsupportedLayer(position: Int, kind: String)
    case noForwardPass
    case weightCount(expected: Int, got: Int)
    case noSuchConvolution(Int, count: Int)

    public var description: String {
        switch self {
        case let .unsupportedLayer(p, k):
            return "Layer \(p) (\(k)) cannot be differentiated at inference; explanations support convolutions (with batch norm right after), ReLU, pooling, flatten, dropout and dense layers."
        case .noForwardPass: return "No forward pass to explain yet: call forward(_:) first."
        case let .weightCount(e, g): return "Output weights: the network has \(e) outputs for a batch of one, \(g) weights were given."
        case let .noSuchConvolution(k, c): return "There is no convolution \(k): the network has \(c)."
        }
    }
}
