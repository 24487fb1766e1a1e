import Foundation
import NumeralUI
import NumeralVision
@testable import NumeralApp
@testable import NumeralSession

struct FakeError: Error, CustomStringConvertible {
    let description: String
}

/// Reads every drawing as `digit`; its 28x28 input is the drawing's points splatted into
/// the box they span, so tests can check that the inset shows what the model got.
final class FakeRecognizer: DigitRecognizing, @unchecked Sendable {
    let digit: Int
    private let lock = NSLock()
    private var _drawings: [Drawing] = []
    private var _paths: [String] = []

    init(digit: Int) { self.digit = digit }

    var drawings: [Drawing] { lock.lock(); defer { lock.unlock() }; return _drawings }
    var paths: [String] { lock.lock(); defer { lock.unlock() }; return _paths }

    func recognize(_ drawing: Drawing) throws -> Recognition {
        lock.lock(); _drawings.append(drawing); lock.unlock()
        return display(input: FakeRecognizer.splat(drawing))
    }

    func recognize(pngAt path: String) throws -> (Recognition, GrayImage) {
        lock.lock(); _paths.append(path); lock.unlock()
        guard let data = FileManager.default.contents(atPath: path) else { throw FakeError(description: "no such file") }
        guard data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { throw FakeError(description: "not a PNG file") }
        let picture = GrayImage(width: 40, height: 30, fill: 0.8)
        return (display(input: GrayImage(width: 28, height: 28, fill: 0.5)), picture)
    }

    func display(input: GrayImage) -> Recognition {
        var p = [Float](repeating: 0.02, count: 10)
        p[digit] = 0.73
        p[(digit + 1) % 10] = 0.11
        return Recognition(digits: [DigitPrediction(probabilities: p, input: input)],
                                  latencyMs: 0.31, modelID: "fake-1")
    }

    static func splat(_ drawing: Drawing) -> GrayImage {
        var image = GrayImage(width: 28, height: 28)
        let points = drawing.strokes.flatMap(\.points)
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
              let minY = points.map(\.y).min(), let maxY = points.map(\.y).max() else { return image }
        let span = max(maxX - minX, maxY - minY, 1)
        for p in points {
            let x = Int(4 + (p.x - minX) / span * 19), y = Int(4 + (p.y - minY) / span * 19)
            for dy in 0...1 { for dx in 0...1 { image[x + dx, y + dy] = 1 } }
        }
        return image
    }
}

/// A log with the real one's record semantics: one row per record, created at its first
/// write and updated by later ones.
final class FakeLogger: PredictionLogging, @unchecked Sendable {
    private let lock = NSLock()
    private var nextID: Int64 = 100
    private var rows: [(record: Int, id: Int64, number: String, inputType: String)] = []
    private(set) var feedback: [(Int64, String)] = []
    /// Writes made, updates included.
    private(set) var writes = 0
    var failure: String?

    /// One (number, input type) per record, in the order the records were created.
    var predictions: [(String, String)] {
        lock.lock(); defer { lock.unlock() }
        return rows.map { ($0.number, $0.inputType) }
    }

    func logPrediction(_ r: Recognition, inputType: InputType, drawing: Drawing?, record: Int) throws -> LogOutcome {
        lock.lock(); defer { lock.unlock() }
        if let failure { throw FakeError(description: failure) }
        writes += 1
        if let index = rows.firstIndex(where: { $0.record == record }) {
            rows[index].number = r.number
            return .logged(id: rows[index].id)
        }
        nextID += 1
        rows.append((record, nextID, r.number, inputType.rawValue))
        return .logged(id: nextID)
    }

    func logFeedback(actual: String, record: Int) throws -> LogOutcome {
        lock.lock(); defer { lock.unlock() }
        if let failure { throw FakeError(description: failure) }
        guard let row = rows.first(where: { $0.record == record }) else { throw FakeError(description: "no record \(record)") }
        feedback.append((row.id, actual))
        return .logged(id: row.id)
    }
}

final class FakeHost: WindowHost {
    var fullscreenToggles = 0
    var dashboardOpens = 0
    let frame: (width: Int, height: Int, rgba: [UInt8])
    init(width: Int = 4, height: Int = 2) {
        frame = (width, height, [UInt8](repeating: 200, count: width * height * 4))
    }
    var cameraOpens = 0
    func toggleFullscreen() { fullscreenToggles += 1 }
    func openDashboard() { dashboardOpens += 1 }
    func openCamera() { cameraOpens += 1 }
    func captureFrame() throws -> (width: Int, height: Int, rgba: [UInt8]) { frame }
}

enum TestImages {
    /// Writes a frame next to the test run when NUMERAL_TEST_ARTIFACTS is set, to look at it.
    static func saveIfRequested(_ name: String, width: Int, height: Int, rgba: [UInt8]) {
        guard let dir = ProcessInfo.processInfo.environment["NUMERAL_TEST_ARTIFACTS"] else { return }
        try? TestPNG.encode(width: width, height: height, rgba: rgba)
            .write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
    }
}

/// Stands in for the window around a dashboard: draws it offscreen, light theme, scale 1.
final class OffscreenDashboardHost: DashboardHost {
    private(set) var closes = 0
    private(set) var quits = 0
    func dashboardDidClose() { closes += 1 }
    func dashboardWantsQuit() { quits += 1 }
    func renderDashboard(_ state: DashboardState) throws -> (width: Int, height: Int, rgba: [UInt8]) {
        try DashboardSnapshot.render(state, theme: .light)
    }
}
