import CDNNL

/// One argument of a primitive as the engine stores it (plain NCHW or OIHW float memory) and as
/// the primitive wants it (often a blocked layout). When the two layouts differ it owns the
/// primitive's copy and the reorders between them; when they agree it is the engine's memory itself.
final class OneDNNOperand {
    /// Points at the engine's buffer (re-pointed before each use).
    let plain: OneDNNMemory
    /// What the primitive reads or writes: `plain`, or a blocked copy.
    let native: OneDNNMemory
    private let toNative: OneDNNCall?
    private let toPlain: OneDNNCall?

    /// `wanted` is the primitive's layout for this argument; `plain` the engine's.
    init(plain: MemoryDescriptor, wanted: MemoryDescriptor, reads: Bool, writes: Bool) throws {
        self.plain = try OneDNNMemory(borrowing: plain)
        if plain == wanted {
            native = self.plain
            toNative = nil
            toPlain = nil
        } else {
            native = try OneDNNMemory(allocating: wanted)
            let (p, n) = (self.plain, native)
            toNative = reads ? OneDNNCall(try OneDNNPrimitive(reorderFrom: plain, to: wanted), [(DNNL_ARG_FROM, p), (DNNL_ARG_TO, n)]) : nil
            toPlain = writes ? OneDNNCall(try OneDNNPrimitive(reorderFrom: wanted, to: plain), [(DNNL_ARG_FROM, n), (DNNL_ARG_TO, p)]) : nil
        }
    }

    /// Whether the primitive's layout equals `descriptor` (so a blocked copy can be shared).
    func isNative(_ descriptor: MemoryDescriptor) -> Bool { native.descriptor == descriptor }

    /// Points at `data` and brings it into the primitive's layout.
    func load(_ data: UnsafeRawPointer, on stream: OneDNNStream) {
        plain.point(at: data)
        toNative?.run(on: stream)
    }

    /// Points at `data`, to be written by `store(on:)` after the primitive ran.
    func target(_ data: UnsafeMutableRawPointer) { plain.point(at: data) }

    /// Copies the primitive's result back into the engine's layout.
    func store(on stream: OneDNNStream) {
        toPlain?.run(on: stream)
    }
}
