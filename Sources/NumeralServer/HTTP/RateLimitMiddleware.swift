import Foundation
import Hummingbird

/// 429 with Retry-After once a client has spent its bucket. Runs after `AuthMiddleware`, so a
/// token's holder is limited per token and everyone else per address. `/healthz` and
/// `/metrics` are not limited (monitoring must see an overloaded server).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/healthz" || path == "/metrics" { return try await next(request, context) }
        if let wait = limiter.take(context.caller.client) {
            throw APIError(.tooManyRequests, "Too many requests from this client; wait a moment and try again.",
                           headers: [.retryAfter: String(max(1, Int(wait.rounded(.up))))])
        }
        return try await next(request, context)
    }
}
