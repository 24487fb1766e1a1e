/// Why an export wrote nothing.
public enum DashboardExportError: Error, CustomStringConvertible, Equatable {
    case noLog(path: String)
    /// A PNG export asked of a dashboard that is not shown in a window.
    case noWindow

    public var description: String {
        switch self {
        case .noLog(let path): return "there is no prediction log at \(path) yet; make a prediction first"
        case .noWindow: return "there is no window to draw the dashboard in; use `numeral dashboard --screenshot PATH` instead"
        }
    }
}
