import NumeralUI

/// What the dashboard needs from the window around it.
public protocol DashboardHost: AnyObject {
    /// The dashboard asked to go back to the drawing view.
    func dashboardDidClose()
    func dashboardWantsQuit()
    /// `state` drawn as the window would show it, as RGBA bytes for the PNG export. Called on
    /// the UI thread, which owns the renderer and the fonts.
    func renderDashboard(_ state: DashboardState) throws -> (width: Int, height: Int, rgba: [UInt8])
}
