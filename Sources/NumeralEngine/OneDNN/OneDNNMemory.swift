import CDNNL

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
