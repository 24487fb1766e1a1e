/// A camera's reading flickers while the paper moves; the steady reading is the one that has
/// held for several frames in a row. It changes only when another reading (or an empty page)
/// has held as long, so one misread frame does not take it away.
public struct SteadyReading: Equatable, Sendable {
    /// The text the latest frames agree on ("" = no digits), and for how many frames in a row.
    public private(set) var candidate: String?
    public private(set) var run = 0
    /// The steady reading; nil before one formed or once an empty page held.
    public private(set) var text: String?

    public init() {}

    public mutating func observe(_ reading: String, needed: Int) {
        if reading == candidate {
            run += 1
        } else {
            candidate = reading
            run = 1
        }
        if run >= max(1, needed) { text = reading.isEmpty ? nil : reading }
    }
}
