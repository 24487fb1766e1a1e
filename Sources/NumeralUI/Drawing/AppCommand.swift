/// What a key or a button asks the drawing view to do: the one table both map into. A kiosk
/// keeps `isPrivileged` commands from visitors.
public enum AppCommand: Equatable, Sendable {
    case predict
    case clear
    case undo
    /// Confirms the prediction (nil) or corrects the selected digit.
    case feedback(digit: Int?)
    case explain
    case dashboard
    /// Opens the live camera view.
    case camera
    case theme
    /// Reads digits, then letters, then both, then digits again (L).
    case nextCharacterSet
    case toggleFullscreen
    /// Saves the window as `numeral-<stamp>.png`.
    case screenshot(LocalTimestamp)
    case quit

    /// Needs the admin PIN in kiosk mode: everything that would leave the visitor-facing canvas.
    public var isPrivileged: Bool {
        switch self {
        case .predict, .clear, .undo, .feedback, .explain: return false
        // A kiosk's set is the admin's choice.
        case .nextCharacterSet: return true
        case .dashboard, .camera, .theme, .toggleFullscreen, .screenshot, .quit: return true
        }
    }

    /// The command a key press means; nil for keys without one.
    public init?(_ press: KeyPress) {
        switch press.key {
        case .enter: self = .predict
        case .space: return nil
        case .backspace, .delete: self = .clear
        case .escape: self = .quit
        case .f11: self = .toggleFullscreen
        case .f12: self = .screenshot(press.stamp)
        case .digit(let d): self = .feedback(digit: d)
        case .letter(let c) where press.ctrl:
            switch c {
            case "z": self = .undo
            case "q": self = .quit
            default: return nil
            }
        case .letter(let c):
            switch c {
            case "c": self = .clear
            case "e": self = .explain
            case "d": self = .dashboard
            case "v": self = .camera
            case "t": self = .theme
            case "l": self = .nextCharacterSet
            case "s": self = .screenshot(press.stamp)
            case "q": self = .quit
            default: return nil
            }
        }
    }

    /// The command a button runs.
    public init(_ button: ButtonID) {
        switch button {
        case .undo: self = .undo
        case .clear: self = .clear
        case .predict: self = .predict
        case .correct: self = .feedback(digit: nil)
        case .digit(let d): self = .feedback(digit: d)
        case .theme: self = .theme
        case .dashboard: self = .dashboard
        case .camera: self = .camera
        case .explain: self = .explain
        }
    }
}
