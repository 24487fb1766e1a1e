import NumeralUI
import NumeralVision

/// How to start the window; filled in from the command line.
public struct AppConfiguration {
    public var theme: ThemeName = .light
    /// Open with the Explain view showing (E toggles it).
    public var explain = false
    /// The characters the canvas starts reading (L switches in the window).
    public var classes: CharacterClasses = .digits
    public var windowSize: UISize = Layout.defaultSize
    /// Print the layout as one-line JSON on stdout at start and after every resize.
    public var printLayout = false
    /// A drawing to feed through the pointer input path after start.
    public var replay: Drawing?
    /// With a replay: save the window here once the prediction is shown, then exit.
    public var screenshotPath: String?
    /// Give up waiting for the replayed prediction after this many seconds.
    public var replayTimeout: Double = 20
    /// Print startup and edit-to-prediction times on stderr.
    public var printTimings = false
    /// Render with the GPU (OpenGL) instead of SDL's software renderer. Off by default: the
    /// window is simple 2D, the software path draws a frame in a few milliseconds, and loading
    /// a GL driver costs around 90 MB of memory (Mesa alone maps LLVM).
    public var useGPU = false
    /// Write a machine-readable timing trace (frames, pointer events, predictions shown) here;
    /// see `TimingTrace`. For `scripts/bench-app.sh`.
    public var timingTracePath: String?
    /// With a replay: draw it this many times (clearing in between) instead of once, report
    /// resident memory every 1,000 predictions, then exit. For the memory soak.
    public var soakRounds: Int?
    /// Where the dashboard view (D) reads the log and the model card.
    public var dashboard = DashboardSource()
    /// Open on the dashboard instead of the drawing canvas (`numeral dashboard`).
    public var startWithDashboard = false
    /// Run as a kiosk: fullscreen, big targets, quitting and settings behind the admin PIN.
    public var kiosk: KioskSetup?
    /// Open on the camera view (`--camera`, `--camera-source`); with `screenshotPath`, save it
    /// once a steady reading shows, then exit.
    public var camera: CameraStartup?

    public init() {}

    /// Parses `WxH` (e.g. `1280x800`).
    public static func parseSize(_ text: String) throws -> UISize {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0, w <= 16384, h <= 16384 else {
            throw AppError.badArgument("--size must look like 1280x800 (got \"\(text)\")")
        }
        let minimum = Layout.minimumSize
        guard Double(w) >= minimum.width, Double(h) >= minimum.height else {
            throw AppError.badArgument("--size \(w)x\(h) is smaller than the smallest window Numeral lays out, "
                                       + "\(Int(minimum.width))x\(Int(minimum.height))")
        }
        return UISize(width: Double(w), height: Double(h))
    }

    public static func parseTheme(_ text: String) throws -> ThemeName {
        guard let theme = ThemeName(rawValue: text.lowercased()) else {
            throw AppError.badArgument("--theme must be light or dark (got \"\(text)\")")
        }
        return theme
    }
}
