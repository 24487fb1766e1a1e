import CCBLAS

/// The one place OpenBLAS is called. Matrices are row-major.
enum BLAS {
    /// C = alpha * op(A) * op(B) + beta * C, with op(A) m×k and op(B) k×n.
    @inline(__always)
    static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                     alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = A·x + beta·y with A m×n row-major. A one-row GEMM would pack all of A on every call;
    /// for a single image's dense layer that copy costs more than the arithmetic.
    @inline(__always)
    static func gemv(m: Int, n: Int, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                     beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// OpenBLAS would otherwise start its own threads inside every call we already run in parallel.
    static func use(threads: Int) { openblas_set_num_threads(Int32(max(1, threads))) }

    /// How many threads OpenBLAS uses inside one call.
    static var threads: Int { Int(openblas_get_num_threads()) }

    /// The kernel set OpenBLAS uses, e.g. "Haswell" (AVX2) or "SkylakeX" (AVX-512).
    static var kernels: String { String(cString: openblas_get_corename()) }
}

/// Engine-wide threading setup; call once before training or inference.
public enum EngineThreads {
    /// Makes OpenBLAS single-threaded: the engine parallelizes across the batch itself, which
    /// scales better for the small matrices of a digit CNN and keeps single-image latency steady.
    public static func configure() { configure(blasThreads: 1) }

    /// Lets OpenBLAS use `blasThreads` threads inside each call (for a caller that runs one big
    /// product at a time and nothing else).
    public static func configure(blasThreads: Int) { BLAS.use(threads: blasThreads) }

    /// Threads OpenBLAS uses inside one call (1 once `configure()` ran).
    public static var blasThreads: Int { BLAS.threads }

    /// The OpenBLAS kernel set in use, for benchmark reports: "Haswell" is AVX2, "SkylakeX" and
    /// "Cooperlake" AVX-512. OpenBLAS picks it from the CPU unless OPENBLAS_CORETYPE says otherwise.
    public static var blasKernels: String { BLAS.kernels }

    /// What computes convolutions in this process: "oneDNN AVX-512" (oneDNN picks the kernels from
    /// the CPU, whatever OPENBLAS_CORETYPE says) or "OpenBLAS Haswell" with NUMERAL_CONVOLUTIONS=openblas.
    public static var convolutionKernels: String {
        ConvolutionBackend.preferred == .oneDNN && OneDNN.engine != nil ? "oneDNN \(OneDNN.kernels)" : "OpenBLAS \(BLAS.kernels)"
    }
}
