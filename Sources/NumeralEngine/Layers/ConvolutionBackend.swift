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
    public static var preferred: ConvolutionBackend {
        ProcessInfo.processInfo.environment["NUMERAL_CONVOLUTIONS"].flatMap { ConvolutionBackend(rawValue: $0.lowercased()) } ?? .oneDNN
    }
}
