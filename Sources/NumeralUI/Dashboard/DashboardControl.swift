/// Every clickable control of the dashboard.
public enum DashboardControl: Hashable, Sendable {
    case back
    case exportPNG
    case exportCSV
    case exportPDF
    case improve
    case range(DashboardRange)
    case input(DashboardInputFilter)
    /// Steps through the devices that wrote to the log (all, then each one).
    case device

    /// Stable machine-readable name for `--print-layout` style JSON and test messages.
    public var name: String {
        switch self {
        case .back: return "back"
        case .exportPNG: return "exportPNG"
        case .exportCSV: return "exportCSV"
        case .exportPDF: return "exportPDF"
        case .improve: return "improve"
        case .range(let r): return "range-\(r.rawValue)"
        case .input(let i): return "input-\(i.rawValue)"
        case .device: return "device"
        }
    }
}

/// A cell of the confusion heatmap: what was written (row) and what the model read (column).
public struct HeatmapCell: Hashable, Sendable {
    public var actual: Int
    public var predicted: Int
    public init(actual: Int, predicted: Int) {
        self.actual = actual
        self.predicted = predicted
    }
}
