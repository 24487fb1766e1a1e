import CDNNL

/// A oneDNN call that failed. The engine never shows this to a user: a layer whose primitives
/// cannot be built falls back to its OpenBLAS path, and the error only names why.
struct OneDNNError: Error, CustomStringConvertible {
    let call: String
    let status: dnnl_status_t

    var description: String {
        let reason: String
        switch status {
        case dnnl_out_of_memory: reason = "out of memory"
        case dnnl_invalid_arguments: reason = "invalid arguments"
        case dnnl_unimplemented: reason = "no implementation for these shapes on this CPU"
        default: reason = "status \(status.rawValue)"
        }
        return "oneDNN \(call) failed: \(reason)"
    }

    /// Throws unless `status` is success.
    static func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
        guard status == dnnl_success else { throw OneDNNError(call: call(), status: status) }
    }
}
