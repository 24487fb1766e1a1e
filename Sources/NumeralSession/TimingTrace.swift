import Foundation

/// A machine-readable log of what the window did and when, for `scripts/bench-app.sh`: one event
/// per line, times in seconds on CLOCK_MONOTONIC (see `MonotonicClock`) so they compare directly
/// with timestamps taken by the process driving the pointer.
///
///     first-frame <ms since process start>
///     frame <draw start> <present end>
///     pointer <down|move|up|cancel> <time handled>
///     shown <present end> <ms since stroke end> <model ms>
///     tick <time>      the debounced live prediction was started
///     inbox <time>     background replies (a recognition, a log write) were applied
///
/// Lines are buffered in memory by stdio and written when the buffer fills or the trace is
/// closed, so tracing costs the UI thread no system call per frame.
public final class TimingTrace {
    private let file: UnsafeMutablePointer<FILE>

    public init(path: String) throws {
        guard let file = fopen(path, "w") else {
            throw AppError.badArgument("cannot write the timing trace \(path): \(String(cString: strerror(errno)))")
        }
        setvbuf(file, nil, _IOFBF, 1 << 16)
        self.file = file
    }

    deinit { fclose(file) }

    public func firstFrame(millisecondsSinceStart ms: Double) { write(String(format: "first-frame %.3f\n", ms)) }

    public func frame(start: Double, end: Double) { write(String(format: "frame %.6f %.6f\n", start, end)) }

    public func pointer(_ phase: String, time: Double) { write("pointer \(phase) " + String(format: "%.6f\n", time)) }

    public func shown(at time: Double, sinceEditMs: Double, modelMs: Double) {
        write(String(format: "shown %.6f %.3f %.3f\n", time, sinceEditMs, modelMs))
    }

    public func event(_ name: String, time: Double) { write(name + String(format: " %.6f\n", time)) }

    public func flush() { fflush(file) }

    private func write(_ line: String) { fputs(line, file) }
}
