import NumeralUI

/// Drives the camera view for `numeral app --camera-source CLIP --screenshot FILE`: waits for a
/// steady reading (and with `capture`, presses Capture on it and waits for the log), then asks
/// for the screenshot; a source that stops first ends the run with its message.
public struct CameraScreenshotDriver {
    public enum Step: Equatable {
        case wait
        /// Press Capture now.
        case capture
        /// Save the screenshot and exit; `problem` is why there is no reading to show.
        case finish(problem: String?)
    }

    public let capture: Bool
    public let timeout: Double
    private var started: Double?
    private var pressed = false

    public init(capture: Bool, timeout: Double) {
        self.capture = capture
        self.timeout = timeout
    }

    public mutating func step(_ s: CameraState, now: Double) -> Step {
        let start = started ?? now
        started = start
        if case .stopped(_, let message) = s.phase, s.capture == nil { return .finish(problem: message) }
        if now - start > timeout {
            return .finish(problem: "no steady reading within \(Int(timeout)) s" + (s.reading.map { " (last: \"\($0.text)\")" } ?? ""))
        }
        if !capture { return s.steady.text != nil ? .finish(problem: nil) : .wait }
        if !pressed {
            // Capture the frame that shows the steady reading itself.
            guard let steady = s.steady.text, s.reading?.text == steady else { return .wait }
            pressed = true
            return .capture
        }
        switch s.capture?.log {
        case .pending?: return .wait
        case nil: return .finish(problem: "nothing was captured")
        default: return .finish(problem: nil)
        }
    }
}
