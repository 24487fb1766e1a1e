import Foundation

/// Seconds since an arbitrary start; never jumps when the wall clock is changed.
struct MonotonicClock {
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
