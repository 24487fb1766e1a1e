import Foundation
import NumeralStore

/// Runs the durable log's (blocking) writes on one background queue, in order, so a database
/// held by another process never stalls an event loop or a recognition worker.
final class LogWriter: @unchecked Sendable {
    let log: DurablePredictionLog
    private let queue = DispatchQueue(label: "numeral.server.log", qos: .utility)

    init(log: DurablePredictionLog) { self.log = log }

    func perform<T: Sendable>(_ body: @escaping @Sendable (DurablePredictionLog) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [log] in continuation.resume(with: Result { try body(log) }) }
        }
    }
}
