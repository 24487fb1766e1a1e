import Hummingbird
import NumeralSession

/// Decides who the client is before anything else looks: the peer's address, or, when the peer
/// is a trusted proxy (`--trusted-proxy`), the address it forwarded in `X-Forwarded-For` (the
/// right-most one that is not itself a trusted proxy). A client can never name itself: without
/// a trusted peer the header is ignored.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let trustedProxies: [AddressRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trustedProxies.isEmpty, isTrusted(context.remoteAddress) else { return try await next(request, context) }
        let forwarded = request.headers[values: .init("X-Forwarded-For")!]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // Right to left: the nearest hop first; proxies we trust may have added their own entries.
        guard let client = forwarded.reversed().first(where: { !isTrusted($0) }) ?? forwarded.first,
              AddressRange.parse(client) != nil else { return try await next(request, context) }
        var context = context
        context.remoteAddress = client
        context.caller = Caller(client: "ip:" + client)
        return try await next(request, context)
    }

    private func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}
