import NumeralUI
import NumeralVision

/// Draws one drawing over and over through the window's own input path, for the memory soak
/// (`numeral app --replay D.json --soak N`): each round clicks Clear and draws the strokes as
/// pointer events, then waits until the live prediction (debounce → background recognition) is on
/// screen and its log write has returned. Resident memory is reported every `reportEvery`
/// predictions, so growth over thousands of predictions shows.
public final class SoakDriver {
    public enum Progress: Equatable {
        case running
        case finished
    }

    public struct MemorySample: Equatable {
        public let predictions: Int
        public let bytes: Int?
    }

    public let rounds: Int
    public private(set) var completed = 0
    public private(set) var samples: [MemorySample] = []
    private let drawing: Drawing
    private let reportEvery: Int
    private let roundTimeout: Double
    private let residentBytes: () -> Int?
    private let report: (String) -> Void
    private var roundStart: Double?
    private var startTime: Double?
    private var lastReportTime: Double?
    private var lastSerial: Int?
    private var strokeEvents: (canvas: UIRect, events: [PointerEvent])?

    public init(drawing: Drawing, rounds: Int, reportEvery: Int = 1000, roundTimeout: Double = 10,
         residentBytes: @escaping () -> Int? = ResidentMemory.currentBytes, report: @escaping (String) -> Void) {
        self.drawing = drawing
        self.rounds = max(1, rounds)
        self.reportEvery = max(1, reportEvery)
        self.roundTimeout = roundTimeout
        self.residentBytes = residentBytes
        self.report = report
    }

    /// Call once per loop iteration after drawing. `frameIsCurrent` is false while a state
    /// change still waits to be drawn: a round only counts once its prediction was on screen.
    /// Throws when a round shows an error or never finishes.
    public func step(session: AppSession, now: Double, frameIsCurrent: Bool) throws -> Progress {
        if startTime == nil {
            startTime = now
            lastReportTime = now
            let bytes = residentBytes()
            samples.append(MemorySample(predictions: 0, bytes: bytes))
            report("soak: started, RSS \(ResidentMemory.megabytes(bytes))")
        }
        if let started = roundStart {
            let s = session.state
            if let message = s.message, message.kind == .error {
                throw AppError.replay("soak prediction \(completed + 1) failed: \(message.text)")
            }
            let shown = s.prediction.map { $0.serial != lastSerial && $0.log != .pending } ?? false
            guard frameIsCurrent, s.isSettled, s.isPredictionCurrent, shown else {
                if now - started > roundTimeout {
                    throw AppError.replay("soak prediction \(completed + 1) did not arrive within \(Int(roundTimeout)) s")
                }
                return .running
            }
            lastSerial = s.prediction?.serial
            completed += 1
            roundStart = nil
            if completed % reportEvery == 0 || completed == rounds { sample(now: now) }
            if completed >= rounds {
                summarize(now: now)
                return .finished
            }
        }
        try startRound(session: session, now: now)
        return .running
    }

    private func startRound(session: AppSession, now: Double) throws {
        let state = session.state
        if state.hasInk || state.prediction != nil, let clear = state.layout.rect(of: .clear) {
            session.send(.pointer(PointerEvent(.down, .mouse, at: clear.center, time: now)))
            session.send(.pointer(PointerEvent(.up, .mouse, at: clear.center, time: now)))
        }
        for var event in try events(for: session.state.layout.canvas) {
            event.time += now
            session.send(.pointer(event))
        }
        roundStart = now
    }

    /// The drawing's pointer events with all times 0: drawn at once, so a round costs the
    /// debounce and the recognition, not the seconds a person takes to draw.
    private func events(for canvas: UIRect) throws -> [PointerEvent] {
        if let cached = strokeEvents, cached.canvas == canvas { return cached.events }
        let events = try ReplayScript.pointerEvents(for: drawing, into: canvas, pointInterval: 0, strokeGap: 0)
        strokeEvents = (canvas, events)
        return events
    }

    private func sample(now: Double) {
        let bytes = residentBytes()
        samples.append(MemorySample(predictions: completed, bytes: bytes))
        let elapsed = now - (lastReportTime ?? now)
        let count = completed - (samples.dropLast().last?.predictions ?? 0)
        lastReportTime = now
        report("soak: \(completed)/\(rounds) predictions, RSS \(ResidentMemory.megabytes(bytes)), "
            + String(format: "%.1f ms per prediction", count > 0 ? elapsed / Double(count) * 1000 : 0))
    }

    private func summarize(now: Double) {
        let seconds = now - (startTime ?? now)
        var line = "soak: finished \(completed) predictions in " + String(format: "%.1f s", seconds)
        // Growth is measured from the first report, after caches and pools have filled.
        if let first = samples.dropFirst().first?.bytes, let last = samples.last?.bytes, samples.count > 2 {
            line += "; RSS \(ResidentMemory.megabytes(first)) after \(samples[1].predictions), "
                + "\(ResidentMemory.megabytes(last)) after \(completed) ("
                + String(format: "%+.1f MB", Double(last - first) / 1_048_576) + ")"
        }
        report(line)
    }
}
