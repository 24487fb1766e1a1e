import CDNNL

/// A memory descriptor: shape, data type and layout of a buffer.
struct MemoryDescriptor: Equatable {
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
