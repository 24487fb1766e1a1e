import Foundation
import Hummingbird

/// 429 with Retry-After once a client has spent its bucket, and the connection closed (a client
/// trickling a body it declared gets no more of our time). Runs before `AuthMiddleware`, per
/// client address (the forwarded one behind a trusted proxy), so a flood of bad tokens is
/// limited like any other. `/healthz` and `/metrics` are not limited (monitoring must see an
/// overloaded server).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/healthz" || path == "/metrics" { return try await next(request, context) }
        if let wait = limiter.take(context.caller.client) {
            throw APIError(.tooManyRequests, "Too many requests from this client; wait a moment and try again.",
                           headers: [.retryAfter: String(max(1, Int(wait.rounded(.up)))), .connection: "close"])
        }
        return try await next(request, context)
    }
}
