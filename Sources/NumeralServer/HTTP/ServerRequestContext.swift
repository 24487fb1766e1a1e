import Hummingbird
import NIOCore
import NumeralSession

/// Per-request state: who is asking (filled in by `AuthMiddleware`) and from where.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, without the port: the peer's, or the one a trusted proxy
    /// forwarded (`ClientAddressMiddleware`).
    public var remoteAddress: String
    /// Set by `AuthMiddleware` before any route runs.
    public var caller: Caller

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        caller = Caller(client: "ip:" + remoteAddress)
    }
}
