import Foundation

/// The library that computes convolutions.
public enum ConvolutionBackend: String, Sendable, CaseIterable {
    /// oneDNN's direct convolutions on blocked layouts (the default).
    case oneDNN = "onednn"
    /// im2col followed by OpenBLAS matrix products (the engine's original path, kept as the
    /// fallback and as the reference the oneDNN path is tested against).
    case openBLAS = "openblas"

    /// `NUMERAL_CONVOLUTIONS=openblas` selects OpenBLAS for a process (for side-by-side
    /// benchmarks); anything else, or nothing, selects oneDNN.
    /// Read with `getenv` (every `Conv2D` asks when it is made): `ProcessInfo.environment` would
    /// copy the whole environment into a dictionary each time.
    public static var preferred: ConvolutionBackend {
        getenv("NUMERAL_CONVOLUTIONS").flatMap { ConvolutionBackend(rawValue: String(cString: $0).lowercased()) } ?? .oneDNN
    }
}
