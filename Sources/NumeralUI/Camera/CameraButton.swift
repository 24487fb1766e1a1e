/// Every clickable control of the camera view.
public enum CameraButton: Hashable, Sendable {
    /// Back to the drawing view.
    case back
    case capture
    /// Back to the device picker (when there are several cameras).
    case devices
    case retry
    case correct
    case digit(Int)
    /// A row of the device picker.
    case device(Int)

    /// Stable machine-readable name, as in `--print-layout`.
    public var name: String {
        switch self {
        case .back: return "camera-back"
        case .capture: return "capture"
        case .devices: return "camera-devices"
        case .retry: return "camera-retry"
        case .correct: return "camera-correct"
        case .digit(let d): return "camera-digit\(d)"
        case .device(let i): return "camera-device\(i)"
        }
    }
}
