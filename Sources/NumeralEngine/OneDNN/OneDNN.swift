import CDNNL

/// The one place NumeralEngine talks to oneDNN (Intel's deep-learning primitives, the library
/// TensorFlow and PyTorch run CPU convolutions on). Handles are owned by Swift objects and freed
/// with them; everything else in the engine sees only `ConvolutionPrimitives`.
///
/// oneDNN picks its kernels from the CPU when a primitive is created (AVX-512 here), independently
/// of OpenBLAS's `OPENBLAS_CORETYPE`, and keeps activations in blocked layouts (16 channels side by
/// side) that suit those kernels.
enum OneDNN {
    /// The CPU engine: an immutable handle created once, shared by every primitive.
    static let engine: OpaquePointer? = {
        var engine: OpaquePointer?
        guard dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success else { return nil }
        return engine
    }()

    /// Asks OpenMP for one thread in the calling thread: the engine already runs one batch slice
    /// per core, and oneDNN's own threads would compete with it (and make results depend on timing).
    /// Call it before creating a primitive too: oneDNN fixes a primitive's thread count then.
    @inline(__always)
    static func useOneThread() { omp_set_num_threads(1) }

    /// The CPU kernel family oneDNN dispatches to, e.g. "avx512_core" (for benchmark reports).
    static var kernels: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_avx512_core, dnnl_cpu_isa_avx512_core_vnni, dnnl_cpu_isa_avx512_core_bf16,
             dnnl_cpu_isa_avx512_core_amx: return "AVX-512"
        case dnnl_cpu_isa_avx2, dnnl_cpu_isa_avx2_vnni: return "AVX2"
        case dnnl_cpu_isa_avx: return "AVX"
        default: return "SSE4.1"
        }
    }
}
