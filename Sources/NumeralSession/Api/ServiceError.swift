/// Why the service refused or failed a request, in words a client can act on. Messages never
/// carry file paths or internal detail; the HTTP layer maps each kind to its status.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request itself is wrong (malformed JSON, not a picture, past a limit): 400.
    case badRequest(String)
    /// The body is of a kind the API does not read: 415.
    case unsupportedMediaType(String)
    /// No such prediction or model: 404.
    case notFound(String)
    /// The caller may not do this (someone else's prediction): 403.
    case forbidden(String)
    /// Something is already running or in the way (an improve run): 409.
    case conflict(String)
    /// Too much work queued right now; try again shortly: 503.
    case busy(String)
    /// The deadline passed before the work started; nothing was done or logged: 503.
    case timedOut(String)
    /// Something the server needs is away for now (the shared log's database): 503.
    case unavailable(String)
    /// Something on the server side failed; the message says what, without paths: 500.
    case failed(String)

    public var description: String {
        switch self {
        case let .badRequest(m), let .unsupportedMediaType(m), let .notFound(m), let .forbidden(m),
             let .conflict(m), let .busy(m), let .timedOut(m), let .unavailable(m), let .failed(m):
            return m
        }
    }
}
