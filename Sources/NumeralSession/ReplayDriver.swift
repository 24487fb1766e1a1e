import NumeralUI
import NumeralVision

/// Feeds a recorded drawing into the session as pointer events in real time, then reports
/// when the resulting prediction (or an error) is on screen.
public final class ReplayDriver {
    public enum Progress: Equatable {
        case feeding
        /// Every event was fed and the app has settled on a result.
        case finished
    }

    private let drawing: Drawing
    private var events: [PointerEvent] = []
    private var next = 0
    private var startTime: Double?
    private var settledSince: Double?
    private let timeout: Double

    public init(drawing: Drawing, timeout: Double) {
        self.drawing = drawing
        self.timeout = timeout
    }

    /// Sends every event that is due by `now`. Throws when the prediction never arrives.
    public func step(session: AppSession, now: Double) throws -> Progress {
        if startTime == nil {
            // Placed on the canvas as it is now, after the window manager settled the size.
            events = try ReplayScript.pointerEvents(for: drawing, into: session.state.layout.canvas)
        }
        let start = startTime ?? now
        startTime = start
        while next < events.count, events[next].time + start <= now {
            var e = events[next]
            e.time += start
            session.send(.pointer(e))
            next += 1
        }
        guard next == events.count else { return .feeding }
        let s = session.state
        // Waiting for the log reply too keeps replay screenshots deterministic.
        let predicted = s.isPredictionCurrent && s.prediction?.log != .pending
            && (!s.explainVisible || s.selectedExplanation != nil)
        let done = s.isSettled && (predicted || s.message?.kind == .error || s.nothingDrawn)
        if done { return .finished }
        if now - start > timeout + (events.last?.time ?? 0) {
            throw AppError.replay("no prediction arrived within \(Int(timeout)) s")
        }
        return .feeding
    }

    /// How long the loop may sleep before the next event is due.
    public func secondsUntilNextEvent(now: Double) -> Double {
        guard let start = startTime, next < events.count else { return 0.005 }
        return max(0, events[next].time + start - now)
    }
}
