import Foundation

/// Which part of the log to look at. `from` is inclusive and `to` exclusive, so
/// consecutive ranges never count a record twice.
public struct LogFilter: Sendable, Equatable, Codable {
    public var from: Date?
    public var to: Date?
    public var inputType: InputType?
    /// One device or instance of a fleet; nil for all of them.
    public var device: String?

    public init(from: Date? = nil, to: Date? = nil, inputType: InputType? = nil, device: String? = nil) {
        self.from = from
        self.to = to
        self.inputType = inputType
        self.device = device
    }
}
