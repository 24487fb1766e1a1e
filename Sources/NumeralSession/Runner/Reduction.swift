/// What a reducer returns: at least the effects to carry out. A plain `[Effect]` is one; the
/// kiosk's verdict also carries the event it lets through.
public protocol Reduction {
    associatedtype Effect
    var effects: [Effect] { get }
}

extension Array: Reduction {
    public var effects: [Element] { self }
}
