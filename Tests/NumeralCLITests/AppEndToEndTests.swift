import Foundation
import NumeralRecognition
import NumeralStore
import NumeralVision
import XCTest

/// The real window under X: xdotool moves the pointer to draw a held-out writer's pen digit,
/// presses Predict, and the test checks the screen (the highlighted bar) and the log.
final class AppEndToEndTests: XCTestCase {
    private func tool(_ args: [String]) throws -> String { try CLIRunner.xdotool(args) }

    func testDrawingWithTheRealPointerPredictsShowsAndLogs() throws {
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil else { throw XCTSkip("no X display (make test runs under xvfb-run)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool") else { throw XCTSkip("xdotool is not installed") }
        let binary = try CLIRunner.binary()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }

        // A held-out writer's digit that the shipped model reads confidently.
        let penPath = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"]
            ?? CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/pendigits/pendigits-orig-train.json").path
        guard FileManager.default.fileExists(atPath: penPath) else { throw XCTSkip("pen digits not found") }
        let recognizer = Recognizer(model: try DigitModel.load(weightsPath: CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path))
        let sample = try XCTUnwrap(try PenDigits.load(path: penPath).first { s in
            s.writer == 28 && s.label == 5 && ((try? recognizer.recognize(s.drawing))?.digits.first?.confidence ?? 0) > 0.9
        })

        let app = Process()
        app.executableURL = URL(fileURLWithPath: binary)
        app.arguments = ["app", "--data-dir", dir.path, "--print-layout", "--size", "1120x740"]
        app.currentDirectoryURL = dir
        // S saves into the Pictures folder (never the current directory): here, the test's own.
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_PICTURES_DIR"] = dir.path
        app.environment = environment
        let out = Pipe()
        app.standardOutput = out
        app.standardError = FileHandle.nullDevice
        try app.run()
        defer { if app.isRunning { app.terminate() } }
        let firstLine = out.fileHandleForReading.availableLine(timeout: 10)
        let layout = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(firstLine).utf8)) as? [String: Any])
        let canvas = try XCTUnwrap(layout["canvas"] as? [String: Double])
        let chart = try XCTUnwrap(layout["chart"] as? [String: Double])
        let predict = try XCTUnwrap((layout["buttons"] as? [String: [String: Double]])?["predict"])
        let window = try tool(["search", "--sync", "--onlyvisible", "--name", "^Numeral$"]).split(separator: "\n").first.map(String.init)
        let wid = try XCTUnwrap(window)

        // Pen coordinates (500×500) into the canvas, centred, 80% of its shorter side.
        let scale = min(canvas["width"]!, canvas["height"]!) * 0.8 / 500
        let ox = canvas["centerX"]! - 250 * scale, oy = canvas["centerY"]! - 250 * scale
        var script: [String] = []
        for stroke in sample.drawing.strokes {
            guard let first = stroke.points.first else { continue }
            script += ["mousemove", "--window", wid, "\(Int(ox + first.x * scale))", "\(Int(oy + first.y * scale))", "mousedown", "1"]
            for p in stroke.points.dropFirst() {
                script += ["sleep", "0.01", "mousemove", "--window", wid, "\(Int(ox + p.x * scale))", "\(Int(oy + p.y * scale))"]
            }
            script += ["mouseup", "1", "sleep", "0.05"]
        }
        script += ["sleep", "0.3", "mousemove", "--window", wid, "\(Int(predict["centerX"]!))", "\(Int(predict["centerY"]!))",
                   "click", "1", "sleep", "0.8", "key", "--window", wid, "s", "sleep", "0.8"]
        _ = try tool(script)

        // On screen: the window's own screenshot shows the winner bar in the expected digit's row.
        let pictures = dir.appendingPathComponent("Numeral")
        let shots = (try? FileManager.default.contentsOfDirectory(atPath: pictures.path))?.filter { $0.hasPrefix("numeral-") && $0.hasSuffix(".png") } ?? []
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }.isEmpty,
                      "nothing is written to the current directory")
        let shot = try PNGCodec.decode(path: pictures.appendingPathComponent(try XCTUnwrap(shots.first, "S saved no screenshot in \(pictures.path)")).path)
        var rows: [Int] = []
        for y in Int(chart["y"]!)..<Int(chart["y"]! + chart["height"]!) {
            for x in Int(chart["x"]!)..<Int(chart["x"]! + chart["width"]!) {
                let i = (y * shot.width + x) * 4
                if shot.rgba[i] == 0x2F, shot.rgba[i + 1] == 0x6F, shot.rgba[i + 2] == 0xED {
                    rows.append(Int((Double(y) - chart["y"]!) / (chart["height"]! / 10)))
                }
            }
        }
        XCTAssertFalse(rows.isEmpty, "no highlighted winner bar on screen")
        XCTAssertEqual(Set(rows), [sample.label], "the highlighted bar is in the row of the drawn digit")

        _ = try tool(["key", "--window", wid, "Escape"])
        let deadline = Date().addingTimeInterval(10)
        while app.isRunning && Date() < deadline { usleep(50_000) }
        XCTAssertFalse(app.isRunning, "Esc quits the app")

        // In the log: the canvas predictions, with the strokes the pointer drew.
        let store = try PredictionStore(directory: dir.path)
        let logged = try store.recent(limit: 10)
        XCTAssertFalse(logged.isEmpty, "predictions are logged")
        let last = try XCTUnwrap(logged.first)
        XCTAssertEqual(last.predicted, String(sample.label))
        XCTAssertEqual(last.inputType, .canvas)
        XCTAssertEqual(last.drawing?.strokes.count, sample.drawing.strokes.count)
        XCTAssertEqual(last.input?.count, 784)
    }
}

extension AppEndToEndTests {
    /// F11 without a window manager (the bare X server of this test, some kiosks) once laid
    /// the app out for the full screen inside its old window. The window itself must cover
    /// the screen, and come back to its place on the second F11.
    func testF11FillsTheScreenEvenWithoutAWindowManager() throws {
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil else { throw XCTSkip("no X display (make test runs under xvfb-run)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool") else { throw XCTSkip("xdotool is not installed") }
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = Process()
        app.executableURL = URL(fileURLWithPath: try CLIRunner.binary())
        app.arguments = ["app", "--data-dir", dir.path, "--size", "900x650",
                         "--model", CLIRunner.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path]
        app.standardOutput = FileHandle.nullDevice
        app.standardError = FileHandle.nullDevice
        try app.run()
        defer { if app.isRunning { app.terminate() } }
        let wid = try XCTUnwrap(try tool(["search", "--sync", "--onlyvisible", "--name", "^Numeral$"]).split(separator: "\n").first.map(String.init))
        let screen = try tool(["getdisplaygeometry"]).replacingOccurrences(of: " ", with: "x")
        func geometry() throws -> String {
            let text = try tool(["getwindowgeometry", wid])
            return text.split(separator: "\n").first { $0.contains("Geometry:") }.map { $0.replacingOccurrences(of: "Geometry:", with: "").trimmingCharacters(in: .whitespaces) } ?? text
        }
        XCTAssertEqual(try geometry(), "900x650")
        _ = try tool(["key", "--window", wid, "F11", "sleep", "1"])
        XCTAssertEqual(try geometry(), screen, "the window covers the screen")
        _ = try tool(["key", "--window", wid, "F11", "sleep", "1"])
        XCTAssertEqual(try geometry(), "900x650", "and returns to its size")
        _ = try tool(["key", "--window", wid, "Escape"])
    }
}

extension FileHandle {
    /// The first line written to this pipe within `timeout` seconds.
    func availableLine(timeout: TimeInterval) -> String? {
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let chunk = availableData
            if chunk.isEmpty { usleep(20_000); continue }
            buffer.append(chunk)
            if let nl = buffer.firstIndex(of: 0x0A) { return String(decoding: buffer[..<nl], as: UTF8.self) }
        }
        return nil
    }
}
