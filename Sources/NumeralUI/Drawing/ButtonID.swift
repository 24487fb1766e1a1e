/// Every clickable control in the window. Digit buttons carry the digit they record.
public enum ButtonID: Hashable, Sendable {
    case undo
    case clear
    case predict
    case correct
    case digit(Int)
    case theme
    case dashboard
    case explain
    /// Opens the camera view.
    case camera

    /// Stable machine-readable name, used in `--print-layout` JSON so an end-to-end test can
    /// find a button without knowing Swift.
    public var name: String {
        switch self {
        case .undo: return "undo"
        case .clear: return "clear"
        case .predict: return "predict"
        case .correct: return "correct"
        case .digit(let d): return "digit\(d)"
        case .theme: return "theme"
        case .dashboard: return "dashboard"
        case .explain: return "explain"
        case .camera: return "camera"
        }
    }
}
