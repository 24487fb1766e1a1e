import Foundation

/// Seconds on CLOCK_MONOTONIC: never jumps when the wall clock is changed, and is the same
/// clock in every process, so a benchmark driving the window can compare its own timestamps
/// (e.g. when it injected a pointer release) with the ones the app reports.
public struct MonotonicClock {
    public init() {}

    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
