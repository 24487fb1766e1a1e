import CDNNL

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
