import Foundation

/// The layout as JSON, for `numeral app --print-layout`: lets an end-to-end test drive the
/// window with xdotool by clicking the centers of named buttons.
extension Layout {
    private struct RectJSON: Encodable {
        let x, y, width, height, centerX, centerY: Double
        init(_ r: UIRect) {
            x = r.x; y = r.y; width = r.width; height = r.height
            centerX = r.center.x; centerY = r.center.y
        }
    }

    private struct LayoutJSON: Encodable {
        let window: UISize
        let canvas: RectJSON
        let inset: RectJSON
        let chart: RectJSON
        let strip: RectJSON
        let statusBar: RectJSON
        let buttons: [String: RectJSON]
    }

    /// Pretty-printed by default; `pretty: false` gives one line, for streams a test reads line by line.
    public func jsonString(pretty: Bool = true) -> String {
        let value = LayoutJSON(
            window: size, canvas: RectJSON(canvas), inset: RectJSON(inset), chart: RectJSON(chart),
            strip: RectJSON(strip), statusBar: RectJSON(statusBar),
            buttons: Dictionary(uniqueKeysWithValues: buttons.map { ($0.id.name, RectJSON($0.rect)) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        // Encoding plain numbers and strings cannot fail; an empty object keeps the output valid JSON anyway.
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
