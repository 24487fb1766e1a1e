import Hummingbird
import NumeralSession

/// Reads `Authorization: Bearer <token>`. No header: an anonymous caller, known by address.
/// A header with an unknown, revoked or malformed token: 401 at once (a wrong token is never
/// quietly treated as anonymous). A good token: the caller is the token's id and role.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let tokens: TokenStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.count <= 200, header.lowercased().hasPrefix("bearer ") else {
                throw APIError(.unauthorized, "The Authorization header must be \"Bearer <token>\".",
                               headers: [.wwwAuthenticate: "Bearer"])
            }
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard let record = tokens.verify(token) else {
                throw APIError(.unauthorized, "The bearer token is unknown or revoked.", headers: [.wwwAuthenticate: "Bearer"])
            }
            context.caller = Caller(client: "token:" + record.id, role: record.role)
        }
        return try await next(request, context)
    }
}

/// Requirements routes put on their caller.
enum Access {
    /// 401 without a token, 403 with one whose role is below `role`.
    static func require(_ role: Role, _ context: ServerRequestContext) throws {
        guard let have = context.caller.role else {
            throw APIError(.unauthorized, "This needs a \(role.rawValue) token: send Authorization: Bearer <token> "
                + "(`numeral serve token create --role \(role.rawValue)` makes one).", headers: [.wwwAuthenticate: "Bearer"])
        }
        guard have >= role else {
            throw APIError(.forbidden, "This needs the \(role.rawValue) role; this token is a \(have.rawValue) token.")
        }
    }
}
