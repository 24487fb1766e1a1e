import Foundation
import NumeralEngine
import NumeralSession
import XCTest

final class RecognitionPoolTests: XCTestCase {
    /// The pool runs one recognition per worker thread, so OpenBLAS must not start threads of its
    /// own inside each call: they only spin against each other (a third of the CPU under load).
    func testThePoolMakesOpenBLASSingleThreaded() throws {
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/mnist-cnn.safetensors").path
        EngineThreads.configure(blasThreads: 2)
        XCTAssertEqual(EngineThreads.blasThreads, 2)
        let pool = try RecognitionPool(weightsPath: weights, workers: 2, maxQueued: 4)
        XCTAssertEqual(pool.workers, 2)
        XCTAssertEqual(EngineThreads.blasThreads, 1)
    }
}
