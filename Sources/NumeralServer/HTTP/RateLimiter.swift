import Foundation

/// A token bucket per client: `burst` requests at once, refilled at `rate` per second. Memory is
/// bounded: buckets that have refilled completely are dropped in a periodic sweep, and past
/// `maxClients` the fullest are dropped first, so a flood of addresses cannot grow it forever.
final class RateLimiter: @unchecked Sendable {
    private struct Bucket { var tokens: Double; var updated: Double }
    let rate: Double
    let burst: Double
    let maxClients: Int
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private var lastSweep = 0.0
    private let clock: @Sendable () -> Double

    init(rate: Double, burst: Double, maxClients: Int = 100_000,
         clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.rate = rate
        self.burst = max(1, burst)
        self.maxClients = maxClients
        self.clock = clock
    }

    /// Takes one request from `client`'s bucket; nil if allowed, else the seconds until it would be.
    func take(_ client: String) -> Double? {
        guard rate > 0 else { return nil }
        let now = clock()
        return lock.withLock {
            sweep(now)
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[client] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
    }

    private func sweep(_ now: Double) {
        guard now - lastSweep > 10 || buckets.count >= maxClients else { return }
        lastSweep = now
        let full = burst / rate
        buckets = buckets.filter { now - $0.value.updated < full }
        if buckets.count >= maxClients {
            buckets = Dictionary(uniqueKeysWithValues: buckets.sorted { $0.value.updated > $1.value.updated }.prefix(maxClients / 2).map { ($0.key, $0.value) })
        }
    }
}
