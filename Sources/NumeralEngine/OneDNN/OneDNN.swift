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

/// A memory descriptor: shape, data type and layout of a buffer.
struct MemoryDescriptor {
    var raw: dnnl_memory_desc_t

    init(_ raw: dnnl_memory_desc_t) { self.raw = raw }

    /// A float32 descriptor of `dims` in the layout `tag` (`dnnl_format_tag_any` lets a primitive choose).
    init(_ dims: [Int], _ tag: dnnl_format_tag_t) throws {
        raw = dnnl_memory_desc_t()
        let d = dims.map(Int64.init)
        try OneDNNError.check(dnnl_memory_desc_init_by_tag(&raw, Int32(d.count), d, dnnl_f32, tag),
                              "memory descriptor \(dims)")
    }

    var byteCount: Int {
        withUnsafePointer(to: raw) { dnnl_memory_desc_get_size($0) }
    }

    static func == (a: MemoryDescriptor, b: MemoryDescriptor) -> Bool {
        withUnsafePointer(to: a.raw) { pa in withUnsafePointer(to: b.raw) { pb in dnnl_memory_desc_equal(pa, pb) != 0 } }
    }
}

/// A oneDNN memory object. Either it owns a buffer oneDNN allocated (a blocked layout, scratch),
/// or it points at memory the engine owns (a tensor), re-pointed with `point(at:)` before each use.
final class OneDNNMemory {
    let handle: OpaquePointer
    let descriptor: MemoryDescriptor

    /// Memory that oneDNN allocates and frees.
    init(allocating descriptor: MemoryDescriptor) throws {
        var m: OpaquePointer?
        // DNNL_MEMORY_ALLOCATE is ((void *)-1) in C.
        let allocate = UnsafeMutableRawPointer(bitPattern: UInt.max)
        try withUnsafePointer(to: descriptor.raw) { d in
            try OneDNNError.check(dnnl_memory_create(&m, d, OneDNN.engine, allocate), "memory")
        }
        handle = m!
        self.descriptor = descriptor
    }

    /// Memory over a buffer someone else owns; `point(at:)` sets it.
    init(borrowing descriptor: MemoryDescriptor) throws {
        var m: OpaquePointer?
        try withUnsafePointer(to: descriptor.raw) { d in
            try OneDNNError.check(dnnl_memory_create(&m, d, OneDNN.engine, nil), "memory")
        }
        handle = m!
        self.descriptor = descriptor
    }

    func point(at data: UnsafeRawPointer) {
        _ = dnnl_memory_set_data_handle(handle, UnsafeMutableRawPointer(mutating: data))
    }

    deinit { dnnl_memory_destroy(handle) }
}

/// A created primitive (convolution, reorder) with its descriptor, run on a caller's stream.
final class OneDNNPrimitive {
    let handle: OpaquePointer
    let descriptor: OpaquePointer

    /// Takes ownership of a primitive descriptor and creates its primitive.
    init(descriptor pd: OpaquePointer, what: String) throws {
        var p: OpaquePointer?
        let status = dnnl_primitive_create(&p, pd)
        guard status == dnnl_success, let p else {
            dnnl_primitive_desc_destroy(pd)
            throw OneDNNError(call: "create \(what)", status: status)
        }
        handle = p
        descriptor = pd
    }

    /// A reorder from one layout to another.
    convenience init(reorderFrom source: MemoryDescriptor, to destination: MemoryDescriptor) throws {
        var pd: OpaquePointer?
        try withUnsafePointer(to: source.raw) { s in
            try withUnsafePointer(to: destination.raw) { d in
                try OneDNNError.check(dnnl_reorder_primitive_desc_create(&pd, s, OneDNN.engine, d, OneDNN.engine, nil),
                                      "reorder")
            }
        }
        try self.init(descriptor: pd!, what: "reorder")
    }

    /// The layout this primitive wants for one of its arguments (`dnnl_query_src_md`, …).
    func memoryDescriptor(_ what: dnnl_query_t, index: Int32 = 0) -> MemoryDescriptor? {
        guard let md = dnnl_primitive_desc_query_md(descriptor, what, index) else { return nil }
        return MemoryDescriptor(md.pointee)
    }

    func execute(on stream: OneDNNStream, _ arguments: [(Int32, OneDNNMemory)]) {
        let args = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        let status = args.withUnsafeBufferPointer {
            dnnl_primitive_execute(handle, stream.handle, Int32($0.count), $0.baseAddress)
        }
        precondition(status == dnnl_success, "oneDNN primitive failed (status \(status.rawValue))")
    }

    deinit {
        dnnl_primitive_destroy(handle)
        dnnl_primitive_desc_destroy(descriptor)
    }
}

/// An in-order CPU stream. Each worker owns its own, so workers never share oneDNN state.
final class OneDNNStream {
    let handle: OpaquePointer

    init() throws {
        var s: OpaquePointer?
        try OneDNNError.check(dnnl_stream_create(&s, OneDNN.engine, UInt32(dnnl_stream_default_flags.rawValue)), "stream")
        handle = s!
    }

    deinit { dnnl_stream_destroy(handle) }
}
