import Hummingbird
import Logging
import NumeralSession

/// Outermost: every failure leaves as a JSON error. Hummingbird's own errors (404, 413…) keep
/// their status with a plain message; anything unexpected becomes a 500 that says nothing
/// internal, and is logged on the server instead.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as ServiceError {
            throw APIError(error)
        } catch let error as HTTPResponseError {
            throw APIError(error.status, Self.message(for: error.status))
        } catch {
            context.logger.error("Request \(request.method) \(request.uri.path) failed: \(String(describing: error))")
            throw APIError(.internalServerError, "The server failed to answer this request.")
        }
    }

    static func message(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: return "There is nothing here; GET /api/v1/openapi.yaml lists the API."
        case 405: return "This method is not allowed here."
        case 413: return "The request body is too large."
        case 408: return "The request took too long to arrive."
        default: return status.reasonPhrase
        }
    }
}
