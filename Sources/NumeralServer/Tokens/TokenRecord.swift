import Foundation
import NumeralSession

/// One bearer token as the token file keeps it: never the token itself, only its SHA-256.
public struct TokenRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var role: Role
    /// Lowercase hex SHA-256 of the whole token string.
    public var sha256: String
    public var created: Date
}
