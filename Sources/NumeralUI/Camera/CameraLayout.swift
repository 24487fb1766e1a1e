import NumeralVision

/// Where the camera view's parts go in a window of a given size. The right-hand column (inset,
/// top three, number strip, chart), the header, the feedback bar and the status bar are the
/// drawing view's, so the two views line up; the canvas becomes the preview and the toolbar
/// holds Devices, Retry and Capture.
public struct CameraLayout: Equatable, Sendable {
    /// The drawing view's layout for the same size.
    public let base: Layout
    public let preview: UIRect
    public let buttons: [(id: CameraButton, rect: UIRect)]
    /// At most this many cameras are listed (keys 1–9 choose one).
    public static let maximumDevices = 9

    public static func == (a: CameraLayout, b: CameraLayout) -> Bool { a.base == b.base }

    public init(width: Double, height: Double) {
        base = Layout(width: width, height: height)
        preview = base.canvas
        var buttons: [(CameraButton, UIRect)] = []
        if let dashboard = base.rect(of: .dashboard) { buttons.append((.back, dashboard)) }
        // Where the drawing view has Undo, Clear and Predict.
        for (id, place) in [(CameraButton.devices, ButtonID.undo), (.retry, .clear), (.capture, .predict)] {
            if let r = base.rect(of: place) { buttons.append((id, r)) }
        }
        if let correct = base.rect(of: .correct) { buttons.append((.correct, correct)) }
        for d in 0..<10 { if let r = base.rect(of: .digit(d)) { buttons.append((.digit(d), r)) } }
        for i in 0..<Self.maximumDevices { buttons.append((.device(i), Self.deviceRow(i, in: preview))) }
        self.buttons = buttons
    }

    /// One row of the device picker, inside the preview.
    static func deviceRow(_ index: Int, in preview: UIRect) -> UIRect {
        // Nine rows of 40 under the title; in a small window they shrink (to 20 at the least) to stay inside.
        let roomy = preview.height >= 84 + 10 + Double(maximumDevices) * 48
        let top = roomy ? 84.0 : 76, gap = roomy ? 8.0 : 4
        let rowHeight = max(20, min(40, (preview.height - top - 10) / Double(maximumDevices) - gap))
        let width = min(preview.width - 48, 560)
        return UIRect(x: preview.x + (preview.width - width) / 2, y: preview.y + top + Double(index) * (rowHeight + gap),
                      width: width, height: rowHeight)
    }

    public func rect(of id: CameraButton) -> UIRect? {
        buttons.first(where: { $0.id == id })?.rect
    }

    /// The button under a point, among those the state shows.
    public func button(at p: UIPoint, in state: CameraState) -> CameraButton? {
        buttons.first(where: { state.shows($0.id) && $0.rect.contains(p) })?.id
    }

    /// Where a frame of this size is drawn: as large as fits in the preview, keeping its shape.
    public func frameRect(width: Int, height: Int) -> UIRect {
        let area = preview.insetBy(dx: 10, dy: 10)
        guard width > 0, height > 0, area.width > 0, area.height > 0 else { return area }
        let aspect = Double(width) / Double(height)
        let w = min(area.width, area.height * aspect), h = w / aspect
        return UIRect(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
    }

    /// A box in a frame's pixels, in window points over the drawn frame.
    public func rect(of box: PhotoBox, frameWidth: Int, frameHeight: Int) -> UIRect {
        let f = frameRect(width: frameWidth, height: frameHeight)
        let sx = f.width / Double(max(1, frameWidth)), sy = f.height / Double(max(1, frameHeight))
        return UIRect(x: f.x + Double(box.x) * sx, y: f.y + Double(box.y) * sy,
                      width: Double(box.width) * sx, height: Double(box.height) * sy)
    }
}
