import Foundation
import Hummingbird

/// Answers 503 when a request takes longer than `seconds`. Predictions keep their own deadline
/// (`PredictionService.deadline`): an input still waiting for a worker then is refused with
/// nothing done, and one being recognized is finished, logged and answered, never answered 503
/// after it was logged.
struct TimeoutMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let seconds: Double

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Streaming answers (the dashboard's live events) end on their own schedule; health and
        // metrics are instant and must answer even when everything else is slow.
        let path = request.uri.path
        if path.hasSuffix("/events") || path == "/healthz" || path == "/metrics" || (request.method == .post && path == "/api/v1/predictions") {
            return try await next(request, context)
        }
        let limit = seconds
        // The group waits for its children, so `next` never outlives this call.
        return try await withoutActuallyEscaping(next) { next in try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await next(request, context) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(limit * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw APIError(.serviceUnavailable, "The request took longer than \(String(format: "%g", limit)) s and was stopped; try again.",
                               headers: [.retryAfter: "1"])
            }
            return response
        } }
    }
}
