import Foundation
import Hummingbird

/// Counts every answer (errors included) by route template and status, with its latency.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        func done(_ status: Int) {
            let route = context.endpointPath ?? "unmatched"
            metrics.requestFinished(route: route, method: request.method.rawValue, status: status,
                                    seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        do {
            let response = try await next(request, context)
            done(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            done(error.status.code)
            throw error
        } catch {
            done(500)
            throw error
        }
    }
}
