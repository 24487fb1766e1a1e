import Foundation
import GRDB
import NumeralStore
import NumeralUI
import NumeralVision
import XCTest
@testable import NumeralApp
@testable import NumeralSession

/// The app with the real log: drawings made while another process holds the database's
/// write lock are kept and written once it frees, one record per drawing, none lost.
final class DurableLoggingTests: XCTestCase {
    private let stamp = LocalTimestamp(year: 2026, month: 5, day: 4, hour: 3, minute: 2, second: 1)

    private func draw(_ session: AppSession, at time: Double, strokes: Int) {
        let c = session.state.layout.canvas
        for s in 0..<strokes {
            let t = time + Double(s)
            let y = c.y + c.height * (0.3 + 0.1 * Double(s))
            session.send(.pointer(PointerEvent(.down, .mouse, at: UIPoint(x: c.x + c.width * 0.3, y: y), time: t)))
            session.send(.pointer(PointerEvent(.move, .mouse, at: UIPoint(x: c.x + c.width * 0.5, y: y + 20), time: t + 0.05)))
            session.send(.pointer(PointerEvent(.up, .mouse, at: UIPoint(x: c.x + c.width * 0.7, y: y + 40), time: t + 0.1)))
            session.send(.tick(time: t + 0.5))
            settle(session)
        }
    }

    private func settle(_ session: AppSession) {
        for _ in 0..<3 {
            session.waitForBackgroundWork()
            session.drainInbox()
        }
    }

    func testDrawingsMadeWhileTheLogIsLockedAreWrittenOnceItFrees() throws {
        let directory = NSTemporaryDirectory() + "numeral-durable-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try PredictionStore(directory: directory)
        let log = DurablePredictionLog(store: store)
        let logger = StorePredictionLog(log: log)
        let session = AppSession(state: AppState(), services: AppServices(recognizer: FakeRecognizer(digit: 4), logger: logger),
                                 inbox: Inbox())

        // One drawing with the log free: three strokes, one record.
        draw(session, at: 0, strokes: 3)
        XCTAssertEqual(try store.count(), 1)
        session.send(.key(KeyPress(.backspace, time: 9, stamp: stamp)))

        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: store.path, configuration: configuration)
        try other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }

        // Three drawings (two strokes each, the last one corrected) while the lock is held.
        for n in 0..<3 {
            draw(session, at: 10 + Double(n) * 10, strokes: 2)
            if n == 2 { session.send(.key(KeyPress(.digit(9), time: 40, stamp: stamp))); settle(session) }
            else { session.send(.key(KeyPress(.backspace, time: 15 + Double(n) * 10, stamp: stamp))) }
        }
        guard case .kept = session.state.prediction?.log else {
            return XCTFail("expected the last drawing kept in the spool, got \(String(describing: session.state.prediction?.log))")
        }
        XCTAssertEqual(session.state.prediction?.feedback, .recorded(actual: "9"))
        XCTAssertEqual(try store.count(), 1, "the lock is still held")

        try other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try other.close()
        try log.flush()
        let rows = try store.all()
        XCTAssertEqual(rows.count, 4, "one record per drawing, none lost")
        XCTAssertEqual(Set(rows.compactMap(\.uid)).count, 4)
        XCTAssertEqual(rows.last?.actual, "9", "the correction reached its record")
        XCTAssertEqual(rows.map { $0.drawing?.strokes.count }, [3, 2, 2, 2], "each record holds its whole drawing")
    }
}
