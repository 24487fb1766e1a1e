import ArgumentParser
import Foundation
import NumeralApp
import NumeralSession
import NumeralEngine
import NumeralRecognition
import NumeralStore
import NumeralUI
import NumeralVision

/// `numeral dashboard`: the window opened on its dashboard view, or (with --screenshot) the
/// dashboard rendered offscreen to a PNG.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Show accuracy, the confusion heatmap and accuracy over time from the prediction log.",
        subcommands: [Open.self, SeedDemo.self],
        defaultSubcommand: Open.self)

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open the window on the dashboard (D switches to drawing and back).")

        @Option(name: .customLong("data-dir"),
                help: "Directory holding numeral.sqlite (default: $XDG_DATA_HOME/numeral or ~/.local/share/numeral).")
        var dataDir: String?

        @Option(help: "Model file (.safetensors) whose card (.json beside it) the dashboard describes.")
        var model: String?

        @Option(name: .customLong("log"), help: "A shared log, postgresql://USER@HOST:PORT/DB (default: $NUMERAL_LOG, config \"log\", else --data-dir's SQLite log).")
        var log: String?

        @Option(help: "Only one device of a fleet sharing the log (V steps through them in the window).")
        var device: String?

        @Option(help: "Color theme: light or dark.")
        var theme: String = "light"

        @Option(help: "Window (or screenshot) size in points, WxH.")
        var size: String = "1280x800"

        @Option(help: "Render the dashboard to this PNG file without opening a window, then exit.")
        var screenshot: String?

        @Option(help: "With --screenshot: output pixels per point (2 for a HiDPI picture).")
        var scale: Double = 1

        @Option(help: "Date range: all, day, week or month.")
        var range: String = "all"

        @Option(name: .customLong("input-type"), help: "Input type: all, canvas, upload, camera or api.")
        var inputType: String = "all"

        func validate() throws {
            _ = try AppConfiguration.parseTheme(theme)
            _ = try AppConfiguration.parseSize(size)
            _ = try query()
            guard scale.isFinite, (0.5...4).contains(scale) else { throw ValidationError("--scale must be between 0.5 and 4") }
        }

        func run() throws {
            try reportingFailures {
                let fileConfig = (try? KioskFiles.readConfig(path: KioskFiles.configPath(), required: false)) ?? NumeralConfig()
                let location = try LogLocation.resolve(explicit: log, configured: fileConfig.log,
                                                       dataDirectory: dataDir ?? PredictionStore.defaultDirectory())
                var sharedLog: PostgresURL?
                if case .postgres(let url) = location { sharedLog = url }
                let source = DashboardSource(logDirectory: dataDir ?? PredictionStore.defaultDirectory(), modelPath: model, sharedLog: sharedLog)
                let theme = try AppConfiguration.parseTheme(theme)
                let size = try AppConfiguration.parseSize(size)
                if let screenshot {
                    try DashboardSnapshot.write(to: screenshot, source: source, size: size, theme: theme,
                                                query: try query(), pixelScale: scale,
                                                improver: RegistryImprover(dataDirectory: source.logDirectory, location: location,
                                                                           mnistDirectory: MNISTOptions.defaultDirectory))
                    print("Saved the dashboard to \(screenshot)")
                    return
                }
                var configuration = AppConfiguration()
                configuration.theme = theme
                configuration.windowSize = size
                configuration.dashboard = source
                configuration.startWithDashboard = true
                let services = AppServicesFactory.make(modelPath: model, dataDirectory: dataDir, logLocation: location,
                                                       mnistDirectory: MNISTOptions.defaultDirectory,
                                                       device: DeviceName.resolve(configured: fileConfig.device)).0
                try AppWindow.run(configuration: configuration, services: services)
            }
        }

        private func query() throws -> DashboardQuery {
            guard let r = DashboardRange(rawValue: range.lowercased()) else {
                throw ValidationError("--range must be one of \(DashboardRange.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let i = DashboardInputFilter(rawValue: inputType.lowercased()) else {
                throw ValidationError("--input-type must be one of \(DashboardInputFilter.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let device, device.isEmpty { throw ValidationError("--device needs a device name, as `numeral stats` lists them.") }
            return DashboardQuery(range: r, input: i, device: device)
        }
    }

    /// Fills a log with real predictions: pen-drawn digits run through the model, spread over
    /// the past days, most with the true digit as feedback. For demos and screenshots.
    struct SeedDemo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-demo",
            abstract: "Log pen-drawn digits recognized by the model, with feedback, as demo data for the dashboard.")

        @Option(name: .customLong("data-dir"), help: "Directory of the log to add to (created if needed).")
        var dataDir: String

        @Option(help: "Model file (.safetensors) to recognize with.")
        var model: String?

        @Option(name: .customLong("pen-digits"), help: "Pen digits JSON. Default: $NUMERAL_PENDIGITS, else Data/pendigits/pendigits-orig-train.json here or in the data directory.")
        var penDigits: String?

        @Option(help: "How many digits to log.")
        var count = 800

        @Option(help: "Spread the predictions over this many past days.")
        var days = 14

        @Option(name: .customLong("feedback-share"), help: "Share of predictions that get the true digit as feedback.")
        var feedbackShare = 0.85

        @Option(help: "Random seed, for a reproducible log.")
        var seed: UInt64 = 7

        func validate() throws {
            guard count > 0, count <= 100_000 else { throw ValidationError("--count must be 1...100000") }
            guard days > 0, days <= 365 else { throw ValidationError("--days must be 1...365") }
            guard feedbackShare.isFinite, (0...1).contains(feedbackShare) else { throw ValidationError("--feedback-share must be 0...1") }
        }

        func run() throws {
            try reportingFailures {
                let recognizer = try Recognizer(locator: ModelLocator(explicitPath: model))
                guard let penPath = PenDigitsLocation.resolve(penDigits) else {
                    throw UserFacingError("seed-demo logs real pen-drawn digits with their true labels, and none were found: "
                        + "no $NUMERAL_PENDIGITS, no Data/pendigits/pendigits-orig-train.json here, none in the data directory. "
                        + "Pass --pen-digits FILE (the UCI pen-digits JSON, strokes of [x, y] points).")
                }
                guard FileManager.default.fileExists(atPath: penPath) else {
                    throw UserFacingError("There is no pen-digits file at \(penPath). Check --pen-digits.")
                }
                let samples = try PenDigits.load(path: penPath)
                guard !samples.isEmpty else { throw UserFacingError("\(penPath) holds no pen digits") }
                let store = try PredictionStore(directory: dataDir)
                var random = SeededGenerator(seed: seed)
                let now = Date()
                let span = Double(days) * 86_400
                var records: [PredictionRecord] = []
                records.reserveCapacity(count)
                for n in 0..<count {
                    let sample = samples[Int(random.next() % UInt64(samples.count))]
                    let recognition = try recognizer.recognize(sample.drawing, multiDigit: false)
                    guard let digit = recognition.digits.first else { continue }
                    // Evenly through the span, jittered within about an hour.
                    let offset = span * (1 - Double(n) / Double(count)) - Double(random.next() % 3_600)
                    let pixels = digit.input.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
                    records.append(PredictionRecord(
                        timestamp: now.addingTimeInterval(-max(0, offset)), inputType: .canvas,
                        predicted: recognition.number, confidence: Double(recognition.confidence),
                        top3: digit.top3.map { DigitProbability(digit: $0.digit, probability: Double($0.probability)) },
                        actual: Double(random.nextFloat()) < feedbackShare ? String(sample.label) : nil,
                        modelVersion: recognition.modelID, latencyMs: recognition.latencyMs,
                        input: pixels, drawing: sample.drawing))
                }
                let result = try store.importRecords(records)
                print("Logged \(result.imported) predictions of pen digits to \(store.path)")
            }
        }
    }
}
