/// What the kiosk's privileged actions and chores need from the window.
public protocol KioskHost: AnyObject {
    func kioskQuit()
    func kioskOpenDashboard()
    func kioskToggleTheme()
    func kioskStartOver()
    func kioskSetCursorVisible(_ visible: Bool)
}
