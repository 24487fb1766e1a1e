/// What effects need from the window itself.
public protocol WindowHost: AnyObject {
    func toggleFullscreen()
    /// Switches the window to the dashboard view (D, the Dashboard button).
    func openDashboard()
    /// Switches the window to the live camera view (V, the Camera button).
    func openCamera()
    /// The current frame as RGBA bytes (row-major, top row first).
    func captureFrame() throws -> (width: Int, height: Int, rgba: [UInt8])
}
