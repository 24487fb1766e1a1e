import NumeralUI

/// How to run the window as a kiosk.
public struct KioskSetup: Sendable {
    public var settings: KioskSettings
    /// Read again at every check, so `numeral kiosk set-pin` takes effect without a restart.
    public var pinPath: String

    public init(settings: KioskSettings = KioskSettings(), pinPath: String = KioskFiles.pinPath()) {
        self.settings = settings
        self.pinPath = pinPath
    }
}
