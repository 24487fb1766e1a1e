import ArgumentParser
import Foundation
import NumeralApp
import NumeralSession
import NumeralStore
import NumeralUI
import NumeralVision

/// `numeral app`: the drawing window (the default subcommand).
struct AppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Open the window: draw a digit and see what the model reads.")

    @Option(help: "Model file (.safetensors) to recognize with.")
    var model: String?

    @Option(name: .customLong("data-dir"), help: "Directory holding the prediction log (and, with a shared --log, the local spool).")
    var dataDir: String?

    @Option(name: .customLong("log"),
            help: "A shared log, postgresql://USER@HOST:PORT/DB (default: $NUMERAL_LOG, else \"log\" in config.json, else the SQLite log in --data-dir).")
    var log: String?

    @Option(help: "Characters to read: digits, letters or alphanumeric (L switches in the window). Default: \"classes\" in the config file, else digits.")
    var classes: CharacterClasses?
    @Option(help: "Color theme: light or dark (T toggles in the window).")
    var theme: String = "light"

    @Flag(help: "Open with the Explain view showing: why the model answered (E toggles it).")
    var explain = false

    @Option(help: "Initial window size in points, WxH.")
    var size: String = "\(Int(Layout.defaultSize.width))x\(Int(Layout.defaultSize.height))"

    @Option(help: "Drawing JSON to draw through the pointer input path after start.")
    var replay: String?

    @Option(help: "With --replay: save the window as PNG here once the prediction shows, then exit. With --camera or --camera-source: once a steady reading shows (captured, with --camera-capture).")
    var screenshot: String?

    @Flag(help: "Open on the camera view: the camera given after it (numeral app --camera /dev/video2), else the one found (a picker when there are several).")
    var camera = false

    @Argument(help: ArgumentHelp("With --camera: the V4L2 device to read.", valueName: "device"))
    var cameraDevice: String?

    @Option(name: .customLong("camera-source"),
            help: "Open on the camera view reading a recording instead of a camera: a video file, a URI or an image sequence (frames/%04d.jpg), played at its own frame rate.")
    var cameraSource: String?

    @Flag(name: .customLong("camera-capture"), help: "With --screenshot on the camera view: press Capture on the steady reading first (it is logged as camera).")
    var cameraCapture = false

    @Flag(help: "Kiosk mode: fullscreen, big targets; quitting and settings need the admin PIN (see `numeral kiosk set-pin`).")
    var kiosk = false

    @Option(help: "Config file (default: $XDG_CONFIG_HOME/numeral/config.json), e.g. {\"kiosk\": true, \"idleTimeoutSeconds\": 90}.")
    var config: String?

    @Flag(name: .customLong("print-layout"),
          help: "Print the window layout (button rectangles in points) as one-line JSON at start and after resizes.")
    var printLayout = false

    @Flag(help: "Print startup, frame and stroke-to-prediction times on stderr.")
    var timing = false

    @Option(name: .customLong("timing-trace"),
            help: ArgumentHelp("Write frame, pointer and prediction times to this file (for scripts/bench-app.sh); implies --timing.",
                               visibility: .hidden))
    var timingTrace: String?

    @Option(help: ArgumentHelp("With --replay: draw the drawing this many times through the pointer path, report memory every 1,000 predictions, then exit.",
                               visibility: .hidden))
    var soak: Int?

    @Flag(help: "Render with the GPU (OpenGL) instead of the lighter software renderer.")
    var gpu = false

    func validate() throws {
        do {
            _ = try AppConfiguration.parseTheme(theme)
            _ = try AppConfiguration.parseSize(size)
        } catch {
            throw ValidationError(String(describing: error))
        }
        if cameraDevice != nil && !camera {
            throw ValidationError("unexpected argument \"\(cameraDevice ?? "")\": a camera device goes after --camera (numeral app --camera /dev/video2)")
        }
        if camera && cameraSource != nil { throw ValidationError("give --camera [DEVICE] or --camera-source, not both") }
        let onCamera = camera || cameraSource != nil
        if onCamera && (replay != nil || kiosk) { throw ValidationError("--camera and --camera-source do not go with --replay or --kiosk") }
        if cameraCapture && (!onCamera || screenshot == nil) {
            throw ValidationError("--camera-capture goes with --screenshot on the camera view (--camera or --camera-source)")
        }
        if screenshot != nil && replay == nil && !onCamera {
            throw ValidationError("--screenshot needs --replay (or --camera-source): it saves the window once the replayed drawing is predicted")
        }
        if let soak {
            guard soak > 0 else { throw ValidationError("--soak must be a positive number of predictions (got \(soak))") }
            guard replay != nil else { throw ValidationError("--soak needs --replay: the drawing to draw over and over") }
            guard screenshot == nil else { throw ValidationError("--soak and --screenshot cannot be combined") }
        }
    }

    func run() throws {
        var configuration = AppConfiguration()
        configuration.theme = try AppConfiguration.parseTheme(theme)
        configuration.windowSize = try AppConfiguration.parseSize(size)
        configuration.explain = explain
        configuration.printLayout = printLayout
        configuration.printTimings = timing || timingTrace != nil
        configuration.timingTracePath = timingTrace
        configuration.soakRounds = soak
        configuration.useGPU = gpu
        configuration.screenshotPath = screenshot
        if let replay { configuration.replay = try loadDrawing(replay) }
        if camera || cameraSource != nil {
            let source: CameraSource? = cameraSource.map { .recording($0) } ?? cameraDevice.map { .device($0) }
            configuration.camera = CameraStartup(source: source, capture: cameraCapture)
        }
        // Read once: the log's location, the device name and the kiosk settings all come from it.
        let fileConfig = try KioskFiles.readConfig(path: config ?? KioskFiles.configPath(), required: config != nil)
        let location = try LogLocation.resolve(explicit: log, configured: fileConfig.log,
                                               dataDirectory: dataDir ?? PredictionStore.defaultDirectory())
        var sharedLog: PostgresURL?
        if case .postgres(let url) = location { sharedLog = url }
        configuration.dashboard = DashboardSource(logDirectory: dataDir ?? PredictionStore.defaultDirectory(), modelPath: model,
                                                  sharedLog: sharedLog)
        configuration.kiosk = try kioskSetup(fileConfig)
        configuration.classes = classes ?? fileConfig.characterClasses ?? .digits
        // The model (--model, else the active or shipped one), the log and the PNG writer.
        let services = AppServicesFactory.make(modelPath: model, dataDirectory: dataDir, logLocation: location,
                                               mnistDirectory: MNISTOptions.defaultDirectory,
                                               device: DeviceName.resolve(configured: fileConfig.device)).0
        try AppWindow.run(configuration: configuration, services: services)
    }

    /// Kiosk mode from --kiosk or the config file; refuses to start without an admin PIN,
    /// since nobody could quit it.
    private func kioskSetup(_ fileConfig: NumeralConfig) throws -> KioskSetup? {
        guard kiosk || fileConfig.kiosk == true else { return nil }
        let pinPath = KioskFiles.pinPath()
        guard try KioskFiles.readPIN(path: pinPath) != nil else { throw KioskError.noPIN(path: pinPath) }
        return KioskSetup(settings: KioskSettings(idleTimeout: fileConfig.idleTimeoutSeconds ?? KioskSettings().idleTimeout),
                          pinPath: pinPath)
    }

    private func loadDrawing(_ path: String) throws -> Drawing {
        let data: Data
        do {
            data = try ReadableError.contents(of: path)
        } catch {
            throw AppError.badArgument("cannot read the drawing \(path): \(ReadableError.decoding(error))")
        }
        do {
            return try JSONDecoder().decode(Drawing.self, from: data)
        } catch {
            throw AppError.badArgument("\(path) is not a drawing JSON ({\"strokes\": [[[x, y], ...], ...]}): "
                + ReadableError.decoding(error, data: data))
        }
    }
}
