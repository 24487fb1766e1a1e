/// What the kiosk's privileged actions and chores need from the window.
public protocol KioskHost: AnyObject {
    func kioskQuit()
    /// Opens the dashboard after the admin PIN; its Improve and exports work until `adminUntil`.
    func kioskOpenDashboard(adminUntil: Double)
    func kioskToggleTheme()
    func kioskStartOver()
    func kioskSetCursorVisible(_ visible: Bool)
}
