/// Who made a request: the token's id when one was presented, else the client's address.
/// `client` is what the log records and what owns a prediction.
public struct Caller: Sendable, Equatable {
    public var client: String
    public var role: Role?

    public init(client: String, role: Role? = nil) {
        self.client = client
        self.role = role
    }

    public var isAdmin: Bool { role == .admin }
}
