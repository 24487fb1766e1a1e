/// A key of the on-screen PIN pad.
public enum PINPadKey: Hashable, Sendable {
    case digit(Int)
    case backspace
    case ok
    case cancel

    public var label: String {
        switch self {
        case .digit(let d): return String(d)
        case .backspace: return "⌫"
        case .ok: return "OK"
        case .cancel: return "Cancel"
        }
    }
}

/// What the admin menu offers once the PIN was right.
public enum KioskAdminAction: CaseIterable, Hashable, Sendable {
    case quit
    case dashboard
    case toggleTheme
    case closeMenu

    public var label: String {
        switch self {
        case .quit: return "Quit Numeral"
        case .dashboard: return "Open dashboard"
        case .toggleTheme: return "Toggle theme"
        case .closeMenu: return "Close menu"
        }
    }
}

/// Where the kiosk's own controls go: the hidden admin corner, the PIN pad and the admin
/// menu, centered panels with finger-sized targets. A pure function of the window size.
public struct KioskLayout: Equatable, Sendable {
    public let size: UISize
    /// Touch and hold here (top left) to ask for the PIN.
    public let corner: UIRect
    public let pinPanel: UIRect
    public let pinTitle: UIRect
    /// Where the entered digits show as dots, and messages under them.
    public let pinDisplay: UIRect
    public let pinMessage: UIRect
    public let pinKeys: [(key: PINPadKey, rect: UIRect)]
    public let menuPanel: UIRect
    public let menuTitle: UIRect
    public let menuButtons: [(action: KioskAdminAction, rect: UIRect)]

    public static func == (a: KioskLayout, b: KioskLayout) -> Bool { a.size == b.size }

    public init(width: Double, height: Double, cornerSize: Double = 72) {
        let w = max(width.isFinite ? width : 0, Layout.minimumSize.width)
        let h = max(height.isFinite ? height : 0, Layout.minimumSize.height)
        size = UISize(width: w, height: h)
        corner = UIRect(x: 0, y: 0, width: cornerSize, height: cornerSize)

        // PIN pad: 3 columns x 4 rows of 96x68 keys (96x52 in a window under 600 high), then
        // Cancel across the bottom.
        let short = h < Layout.roomySize.height
        let key = UISize(width: 96, height: short ? 52 : 68), gap = 12.0, pad = 24.0
        let titleHeight = short ? 34.0 : 40, displayHeight = short ? 44.0 : 56, messageHeight = short ? 24.0 : 28
        let cancelHeight = short ? 48.0 : 60
        let gridWidth = 3 * key.width + 2 * gap
        let panelWidth = gridWidth + 2 * pad
        let panelHeight = pad + titleHeight + displayHeight + messageHeight + 4 * key.height + 3 * gap + gap + cancelHeight + pad
        let panel = UIRect(x: (w - panelWidth) / 2, y: max(8, (h - panelHeight) / 2), width: panelWidth, height: panelHeight)
        pinPanel = panel
        pinTitle = UIRect(x: panel.x + pad, y: panel.y + pad, width: gridWidth, height: titleHeight)
        pinDisplay = UIRect(x: panel.x + pad, y: pinTitle.maxY, width: gridWidth, height: displayHeight)
        let message = UIRect(x: panel.x + pad, y: pinDisplay.maxY, width: gridWidth, height: messageHeight)
        pinMessage = message
        let order: [PINPadKey] = [.digit(1), .digit(2), .digit(3), .digit(4), .digit(5), .digit(6),
                                  .digit(7), .digit(8), .digit(9), .backspace, .digit(0), .ok]
        var keys: [(PINPadKey, UIRect)] = order.enumerated().map { i, k in
            let row = Double(i / 3), column = Double(i % 3)
            return (k, UIRect(x: panel.x + pad + column * (key.width + gap), y: message.maxY + row * (key.height + gap),
                              width: key.width, height: key.height))
        }
        let gridBottom = message.maxY + 4 * key.height + 3 * gap
        keys.append((.cancel, UIRect(x: panel.x + pad, y: gridBottom + gap, width: gridWidth, height: cancelHeight)))
        pinKeys = keys

        // Admin menu: one wide button per action.
        let buttonSize = UISize(width: 360, height: 72)
        let menuHeight = pad + 44 + Double(KioskAdminAction.allCases.count) * (buttonSize.height + gap) - gap + pad
        let menu = UIRect(x: (w - buttonSize.width - 2 * pad) / 2, y: max(8, (h - menuHeight) / 2),
                          width: buttonSize.width + 2 * pad, height: menuHeight)
        let title = UIRect(x: menu.x + pad, y: menu.y + pad, width: buttonSize.width, height: 36)
        menuPanel = menu
        menuTitle = title
        menuButtons = KioskAdminAction.allCases.enumerated().map { i, action in
            (action, UIRect(x: menu.x + pad, y: title.maxY + 8 + Double(i) * (buttonSize.height + gap),
                            width: buttonSize.width, height: buttonSize.height))
        }
    }

    public func pinKey(at p: UIPoint) -> PINPadKey? { pinKeys.first(where: { $0.rect.contains(p) })?.key }
    public func rect(of key: PINPadKey) -> UIRect? { pinKeys.first(where: { $0.key == key })?.rect }
    public func menuAction(at p: UIPoint) -> KioskAdminAction? { menuButtons.first(where: { $0.rect.contains(p) })?.action }
    public func rect(of action: KioskAdminAction) -> UIRect? { menuButtons.first(where: { $0.action == action })?.rect }
}
