import Foundation
import Hummingbird
import NumeralSession

/// An error answer: a status and a JSON body `{"error": {"status": 400, "message": "…"}}`.
/// Messages are written for the client; nothing internal (paths, types, stack) goes in them.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body: [String: [String: AnyCodableValue]] = ["error": ["status": .int(status.code), "message": .string(message)]]
        let data = (try? JSONEncoder().encode(body)) ?? Data("{\"error\":{}}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The answer for a service error.
    public init(_ error: ServiceError) {
        switch error {
        case let .badRequest(m): self.init(.badRequest, m)
        case let .unsupportedMediaType(m): self.init(.unsupportedMediaType, m)
        case let .notFound(m): self.init(.notFound, m)
        case let .forbidden(m): self.init(.forbidden, m)
        case let .conflict(m): self.init(.conflict, m)
        case let .busy(m): self.init(.serviceUnavailable, m, headers: [.retryAfter: "1"])
        case let .timedOut(m): self.init(.serviceUnavailable, m, headers: [.retryAfter: "2"])
        case let .unavailable(m): self.init(.serviceUnavailable, m, headers: [.retryAfter: "5"])
        case let .failed(m): self.init(.internalServerError, m)
        }
    }
}

/// A string or integer in an error body.
enum AnyCodableValue: Encodable {
    case int(Int), string(String)
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .int(v): try c.encode(v)
        case let .string(v): try c.encode(v)
        }
    }
}
