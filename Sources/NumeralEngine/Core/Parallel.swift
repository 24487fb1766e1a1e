import Dispatch
import Foundation

/// Splits `0..<count` into one contiguous chunk per worker and runs them concurrently.
/// Work per item in this engine is large (a whole image), so a static split is enough.
struct ParallelChunks {
    let workers: Int

    static let machine = ParallelChunks(workers: max(1, ProcessInfo.processInfo.activeProcessorCount))
    static let serial = ParallelChunks(workers: 1)

    func workerCount(for count: Int) -> Int { max(1, min(workers, count)) }

    func run(count: Int, _ body: (_ worker: Int, _ range: Range<Int>) -> Void) {
        let w = workerCount(for: count)
        if w == 1 {
            body(0, 0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: w) { i in
            let lo = count * i / w, hi = count * (i + 1) / w
            body(i, lo..<hi)
        }
    }
}
