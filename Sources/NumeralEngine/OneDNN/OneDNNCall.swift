import CDNNL

/// A primitive bound once to the memory objects it reads and writes. The memory objects stay the
/// same between calls (only the buffers they point at change), so running it builds no argument
/// list and allocates nothing on the Swift side.
struct OneDNNCall {
    let primitive: OneDNNPrimitive
    /// Keeps the memory objects alive as long as the raw handles in `arguments`.
    private let memories: [OneDNNMemory]
    private let arguments: [dnnl_exec_arg_t]

    /// `arguments` pairs oneDNN's argument names (`DNNL_ARG_SRC`, …) with memory; nil entries
    /// (an absent scratchpad) are left out.
    init(_ primitive: OneDNNPrimitive, _ arguments: [(Int32, OneDNNMemory?)]) {
        self.primitive = primitive
        let present = arguments.compactMap { name, memory in memory.map { (name, $0) } }
        memories = present.map(\.1)
        self.arguments = present.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
    }

    func run(on stream: OneDNNStream) {
        let status = arguments.withUnsafeBufferPointer {
            dnnl_primitive_execute(primitive.handle, stream.handle, Int32($0.count), $0.baseAddress)
        }
        precondition(status == dnnl_success, "oneDNN primitive failed (status \(status.rawValue))")
    }
}
