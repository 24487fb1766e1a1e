import Foundation
import NumeralUI
import XCTest

/// Runs the real `numeral` binary in kiosk mode on the X display (Xvfb under `make test`):
/// window-close requests and quit keys must not end it; the admin PIN typed on the on-screen
/// pad after a long press in the corner must.
final class KioskEndToEndTests: XCTestCase {
    private var processes: [Process] = []
    private var pipes: [Pipe] = []
    private var directory = ""

    override func setUpWithError() throws {
        guard let display = ProcessInfo.processInfo.environment["DISPLAY"], !display.isEmpty else {
            throw XCTSkip("no X display (run under xvfb-run, as `make test` does)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool") else {
            throw XCTSkip("xdotool is not installed (apt-get install xdotool)")
        }
        guard FileManager.default.isExecutableFile(atPath: numeralBinary) else {
            throw XCTSkip("the numeral executable was not built next to the tests (\(numeralBinary))")
        }
        directory = NSTemporaryDirectory() + "numeral-kiosk-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
    }

    override func tearDown() {
        for p in processes where p.isRunning {
            // SIGTERM ends even the kiosk (it leaves signals to the system); SIGKILL if it hangs.
            p.terminate()
            let deadline = Date().addingTimeInterval(5)
            while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
        }
        for pipe in pipes { pipe.fileHandleForReading.readabilityHandler = nil }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var numeralBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("numeral").path
    }

    private var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = directory + "/config"
        return env
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func xdotool(_ arguments: String...) throws {
        let result = try run("/usr/bin/xdotool", arguments)
        XCTAssertEqual(result.status, 0, "xdotool \(arguments.joined(separator: " ")): \(result.output)")
    }

    /// Starts `numeral app` and waits for its first layout line (the window is up by then).
    private func launchApp(_ extra: [String]) throws -> (Process, UISize, LineCollector) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: numeralBinary)
        p.arguments = ["app", "--print-layout", "--data-dir", directory + "/data", "--model", directory + "/no-model.safetensors"] + extra
        p.environment = environment
        let lines = LineCollector()
        let out = Pipe()
        out.fileHandleForReading.readabilityHandler = { lines.append($0.availableData) }
        pipes.append(out)
        p.standardOutput = out
        p.standardError = out
        try p.run()
        processes.append(p)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, p.isRunning {
            if let line = lines.first(containing: "\"window\""),
               let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let window = json["window"] as? [String: Double], let w = window["width"], let h = window["height"] {
                Thread.sleep(forTimeInterval: 0.3) // let the first frame reach the X server
                return (p, UISize(width: w, height: h), lines)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw XCTSkip("the app did not open a window: \(lines.text)")
    }

    private func windowID(of p: Process) throws -> UInt {
        let found = try run("/usr/bin/xdotool", ["search", "--pid", String(p.processIdentifier)])
        guard let id = found.output.split(separator: "\n").compactMap({ UInt($0) }).last else {
            throw XCTSkip("xdotool cannot find the window of pid \(p.processIdentifier): \(found.output)")
        }
        return id
    }

    private func waitForExit(_ p: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return !p.isRunning
    }

    private func click(_ p: UIPoint, in window: UInt) throws {
        try xdotool("mousemove", "--window", String(window), String(Int(p.x)), String(Int(p.y)), "click", "1")
        Thread.sleep(forTimeInterval: 0.15)
    }

    func testAWindowCloseRequestEndsTheNormalApp() throws {
        // Shows the close request below really reaches SDL, so the kiosk test is not vacuous.
        let (app, _, _) = try launchApp([])
        try X11Close.requestClose(window: try windowID(of: app))
        XCTAssertTrue(waitForExit(app, timeout: 10), "WM_DELETE_WINDOW must quit the normal app")
        XCTAssertEqual(app.terminationStatus, 0)
    }

    func testKioskIgnoresCloseAndQuitKeysAndQuitsAfterTheAdminPIN() throws {
        let missing = try run(numeralBinary, ["app", "--kiosk", "--data-dir", directory + "/data"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.output.contains("Kiosk mode needs an admin PIN: run `numeral kiosk set-pin` first"), missing.output)

        let set = try run(numeralBinary, ["kiosk", "set-pin", "--pin-stdin", "--iterations", "100000"], stdin: "2468\n")
        XCTAssertEqual(set.status, 0, set.output)

        let (kiosk, size, output) = try launchApp(["--kiosk"])
        let window = try windowID(of: kiosk)
        try X11Close.requestClose(window: window)
        try? xdotool("windowfocus", String(window))
        try xdotool("key", "Escape", "q", "ctrl+q", "alt+F4", "d")
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(kiosk.isRunning, "a close request or a quit key ended the kiosk: \(output.text)")

        // Long press in the top-left corner, then the PIN on the on-screen pad.
        let layout = KioskLayout(width: size.width, height: size.height)
        try xdotool("mousemove", "--window", String(window), "20", "20", "mousedown", "1", "sleep", "2.4", "mouseup", "1")
        Thread.sleep(forTimeInterval: 0.3)
        for digit in [2, 4, 6, 8] { try click(try XCTUnwrap(layout.rect(of: .digit(digit))).center, in: window) }
        try click(try XCTUnwrap(layout.rect(of: .ok)).center, in: window)
        Thread.sleep(forTimeInterval: 3) // 100 000 PBKDF2 rounds in a debug build
        XCTAssertTrue(kiosk.isRunning)
        try click(try XCTUnwrap(layout.rect(of: .quit)).center, in: window)
        XCTAssertTrue(waitForExit(kiosk, timeout: 10), "the admin menu's Quit did not end the kiosk: \(output.text)")
        XCTAssertEqual(kiosk.terminationStatus, 0)
    }
}

/// Collects a child process's output lines from a background reader.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    func append(_ data: Data) {
        lock.lock()
        buffer += String(decoding: data, as: UTF8.self)
        lock.unlock()
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return buffer }

    func first(containing needle: String) -> String? {
        text.split(separator: "\n").first(where: { $0.contains(needle) }).map(String.init)
    }
}

/// Sends WM_DELETE_WINDOW to a window, as a window manager does for the close button or Alt+F4.
/// Xvfb runs no window manager, so the test plays its part through libX11 directly.
enum X11Close {
    private typealias OpenDisplay = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    private typealias InternAtom = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, Int32) -> UInt
    private typealias SendEvent = @convention(c) (OpaquePointer?, UInt, Int32, Int, UnsafeMutableRawPointer) -> Int32
    private typealias DisplayCall = @convention(c) (OpaquePointer?) -> Int32

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func requestClose(window: UInt) throws {
        guard let lib = dlopen("libX11.so.6", RTLD_NOW) else { throw Failure(description: "libX11.so.6 cannot be loaded") }
        defer { dlclose(lib) }
        func symbol<T>(_ name: String, as: T.Type) throws -> T {
            guard let s = dlsym(lib, name) else { throw Failure(description: "libX11 lacks \(name)") }
            return unsafeBitCast(s, to: T.self)
        }
        let open = try symbol("XOpenDisplay", as: OpenDisplay.self)
        let intern = try symbol("XInternAtom", as: InternAtom.self)
        let send = try symbol("XSendEvent", as: SendEvent.self)
        let flush = try symbol("XFlush", as: DisplayCall.self)
        let close = try symbol("XCloseDisplay", as: DisplayCall.self)
        guard let display = open(nil) else { throw Failure(description: "cannot open the X display") }
        defer { _ = close(display) }
        let protocols = intern(display, "WM_PROTOCOLS", 0)
        let delete = intern(display, "WM_DELETE_WINDOW", 0)
        // XClientMessageEvent on LP64, inside the 192-byte XEvent union: type, serial,
        // send_event, display, window, message_type, format, data.l[5].
        var event = [Int](repeating: 0, count: 24)
        event[0] = 33 // ClientMessage
        event[2] = 1
        event[3] = Int(bitPattern: UnsafeRawPointer(display))
        event[4] = Int(bitPattern: window)
        event[5] = Int(bitPattern: protocols)
        event[6] = 32
        event[7] = Int(bitPattern: delete)
        let status = event.withUnsafeMutableBytes { send(display, window, 0, 0, $0.baseAddress!) }
        _ = flush(display)
        guard status != 0 else { throw Failure(description: "XSendEvent failed") }
    }
}
