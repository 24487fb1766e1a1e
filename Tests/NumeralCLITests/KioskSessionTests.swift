import Foundation
import NumeralVision
import XCTest

/// The shipped kiosk session: the cage compositor running `numeral app --kiosk` as its only
/// window, as Resources/kiosk/numeral-kiosk.service starts it on a real kiosk. Here cage runs
/// on wlroots' headless backend (no screen or GPU needed) and the app draws a digit, predicts
/// it and saves a screenshot from inside the session.
final class KioskSessionTests: XCTestCase {
    private let cage = "/usr/bin/cage"

    func testTheShippedUnitStartsTheKioskInsideCageAndNothingElse() throws {
        let unit = try String(contentsOf: CLIRunner.repoRoot.appendingPathComponent("Resources/kiosk/numeral-kiosk.service"), encoding: .utf8)
        let exec = try XCTUnwrap(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        XCTAssertTrue(exec.contains("/usr/bin/cage -d -- ") && exec.hasSuffix("numeral app --kiosk"), String(exec))
        XCTAssertFalse(exec.contains(" -s "), "VT switching would let a visitor leave the kiosk")
        XCTAssertTrue(unit.contains("Restart=always"))
        let session = try String(contentsOf: CLIRunner.repoRoot.appendingPathComponent("Resources/kiosk/numeral-kiosk.desktop"), encoding: .utf8)
        XCTAssertTrue(session.contains("Exec=env SDL_VIDEODRIVER=wayland cage -d -- numeral app --kiosk"), session)
    }

    func testTheKioskStartsAndPredictsInsideACageSession() throws {
        guard FileManager.default.isExecutableFile(atPath: cage) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail("cage is missing: scripts/install-deps.sh installs it") }
            throw XCTSkip("cage is not installed (apt-get install cage)")
        }
        let numeral = try CLIRunner.binary()
        // Everything the session user needs, in one folder it owns: cage refuses to run as root.
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        for sub in ["run", "out", "config", "data"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        try fm.copyItem(atPath: numeral, toPath: dir.appendingPathComponent("numeral").path)
        for file in ["mnist-cnn.safetensors", "mnist-cnn.json"] {
            try fm.copyItem(at: CLIRunner.repoRoot.appendingPathComponent("Models/\(file)"), to: dir.appendingPathComponent(file))
        }
        // A zero: one loop.
        let loop = (0...40).map { i -> [Double] in
            let a = Double(i) / 40 * 2 * .pi
            return [250 + 80 * sin(a), 250 - 140 * cos(a)]
        }
        try JSONSerialization.data(withJSONObject: ["strokes": [loop], "width": 500, "height": 500])
            .write(to: dir.appendingPathComponent("zero.json"))
        let pin = try run(["/bin/sh", "-c", "echo 2468 | \(dir.path)/numeral kiosk set-pin --pin-stdin"],
                          environment: ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
        XCTAssertEqual(pin.status, 0, pin.output)

        var command = ["env", "XDG_RUNTIME_DIR=\(dir.path)/run", "HOME=\(dir.path)", "XDG_CONFIG_HOME=\(dir.path)/config",
                       "WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman", "SDL_VIDEODRIVER=wayland",
                       cage, "-d", "--", "\(dir.path)/numeral", "app", "--kiosk", "--model", "\(dir.path)/mnist-cnn.safetensors",
                       "--data-dir", "\(dir.path)/data", "--replay", "\(dir.path)/zero.json", "--screenshot", "\(dir.path)/out/kiosk.png"]
        if getuid() == 0 {
            XCTAssertEqual(try run(["chown", "-R", "nobody", dir.path]).status, 0)
            command = ["runuser", "-u", "nobody", "--"] + command
        }
        XCTAssertEqual(try run(["chmod", "700", "\(dir.path)/run"]).status, 0)
        let session = try run(command, timeout: 90)
        XCTAssertEqual(session.status, 0, session.output)
        XCTAssertTrue(session.output.contains("replay: predicted 0"), session.output)
        let shot = try PNGCodec.decode(path: "\(dir.path)/out/kiosk.png")
        XCTAssertGreaterThanOrEqual(shot.width, 880, "the kiosk filled cage's output")
        XCTAssertGreaterThanOrEqual(shot.height, 600)
    }

    private struct Run { var status: Int32; var output: String }

    private func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 30) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let killer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
