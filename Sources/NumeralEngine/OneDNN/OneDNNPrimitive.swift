import CDNNL

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

    /// oneDNN's name for the kernel it chose, e.g. "brgconv:avx512_core" or "jit_wino_4x3:avx512_core".
    var implementation: String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name) == dnnl_success, let name else { return "?" }
        return String(cString: name)
    }

    deinit {
        dnnl_primitive_destroy(handle)
        dnnl_primitive_desc_destroy(descriptor)
    }
}
