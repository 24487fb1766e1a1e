import NumeralUI

/// Draws the kiosk's additions over the app: the big "Was I right?" prompt above the
/// feedback buttons, and the PIN pad or admin menu over a dimmed window.
final class KioskRenderer {
    let painter: Painter

    init(painter: Painter) { self.painter = painter }

    func draw(_ kiosk: KioskState, app: AppState, drawingViewVisible: Bool) {
        let p = app.theme.palette
        if drawingViewVisible { drawPrompt(app, p) }
        switch kiosk.overlay {
        case .none: break
        case .pinPad: drawPINPad(kiosk, p)
        case .adminMenu: drawMenu(kiosk, p)
        }
        painter.endFrame()
    }

    private func drawPrompt(_ s: AppState, _ p: Palette) {
        let r = s.layout.feedbackPrompt
        guard r.width > 0, r.height > 0 else { return }
        // A compact window has the prompt at the start of the feedback bar: the short words.
        let short = s.layout.isCompact
        let text: String, color: RGBA
        if let shown = s.prediction, s.isPredictionCurrent {
            switch shown.feedback {
            case .none, .failed:
                text = short ? "Was I right?" : "Was I right?  Tap ✓ Yes, or the digit you drew"
                color = p.accent
            case .sending, .recorded:
                text = short ? "Thank you!" : "Thank you! Draw another digit"
                color = p.success
            }
        } else if s.isRecognizing {
            text = "Thinking…"
            color = p.mutedText
        } else {
            text = short ? "Draw a digit" : "Draw a digit, then I will guess it"
            color = p.mutedText
        }
        painter.text(text, in: r, size: short ? 15 : 24, weight: .bold, color: color, align: .center)
    }

    private func dim(_ kiosk: KioskState) {
        let size = kiosk.layout.size
        painter.fill(UIRect(x: 0, y: 0, width: size.width, height: size.height), RGBA(0, 0, 0, 150))
    }

    private func drawPINPad(_ k: KioskState, _ p: Palette) {
        let l = k.layout
        dim(k)
        painter.card(l.pinPanel, radius: 16, fill: p.card, border: p.cardBorder)
        painter.text("Admin PIN", in: l.pinTitle, size: 22, weight: .bold, color: p.text, align: .center)
        let locked = k.lockoutRemaining(at: k.time)
        let display = l.pinDisplay.insetBy(dx: 0, dy: 6)
        painter.card(display, radius: 10, fill: p.paper, border: p.cardBorder)
        if k.pinEntry.isEmpty {
            painter.text(k.verifying != nil ? "" : "enter the PIN", in: display, size: 15, color: p.canvasHint, align: .center)
        } else {
            painter.text(String(repeating: "●", count: k.pinEntry.count), in: display, size: 24, color: p.text, align: .center)
        }
        let message = locked.map { "Locked: try again in \(Int($0.rounded(.up))) s" } ?? k.pinMessage
        if let message {
            let isProblem = locked != nil || message.hasPrefix("Wrong") || message.hasPrefix("No ") || message.hasPrefix("The ")
            painter.text(message, in: l.pinMessage, size: 13.5, weight: .bold, color: isProblem ? p.error : p.mutedText, align: .center)
        }
        let inputBlocked = locked != nil || k.verifying != nil
        for (key, rect) in l.pinKeys {
            let pressed = k.pressed == .key(key)
            let enabled: Bool
            switch key {
            case .cancel, .backspace: enabled = true
            case .ok: enabled = !inputBlocked && k.pinEntry.count >= KioskPIN.allowedLengths.lowerBound
            case .digit: enabled = !inputBlocked
            }
            if key == .ok {
                painter.fillRounded(rect, radius: 10, enabled ? (pressed ? p.accentHover : p.accent) : p.buttonPressed)
                painter.text(key.label, in: rect, size: 22, weight: .bold, color: enabled ? p.onAccent : p.mutedText, align: .center)
            } else {
                painter.card(rect, radius: 10, fill: pressed ? p.buttonPressed : p.button, border: p.buttonBorder)
                painter.text(key.label, in: rect, size: key == .cancel ? 18 : 26, weight: key == .cancel ? .regular : .bold,
                             color: enabled ? p.text : p.mutedText.withAlpha(150), align: .center)
            }
        }
    }

    private func drawMenu(_ k: KioskState, _ p: Palette) {
        let l = k.layout
        dim(k)
        painter.card(l.menuPanel, radius: 16, fill: p.card, border: p.cardBorder)
        painter.text("Admin", in: l.menuTitle, size: 22, weight: .bold, color: p.text, align: .center)
        for (action, rect) in l.menuButtons {
            let pressed = k.pressed == .action(action)
            if action == .quit {
                painter.fillRounded(rect, radius: 10, pressed ? p.error.withAlpha(200) : p.error)
                painter.text(action.label, in: rect, size: 20, weight: .bold, color: RGBA(255, 255, 255), align: .center)
            } else {
                painter.card(rect, radius: 10, fill: pressed ? p.buttonPressed : p.button, border: p.buttonBorder)
                painter.text(action.label, in: rect, size: 20, color: p.text, align: .center)
            }
        }
    }
}
