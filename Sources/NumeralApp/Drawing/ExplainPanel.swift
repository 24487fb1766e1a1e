import NumeralUI
import NumeralVision

/// The Explain view, drawn in the chart card when it is open: the selected digit's evidence maps
/// for the winner and the runner-up, one line on how to read them, and the first convolutions'
/// feature maps as tiles.
extension SceneRenderer {
    func drawExplainPanel(_ s: AppState, _ p: Palette) {
        let area = s.layout.chart
        guard let e = s.selectedExplanation else {
            let text: String
            if s.prediction == nil { text = "Draw a digit: this shows what made the model answer." }
            else if s.explanationInFlight != nil { text = "Explaining…" }
            else { text = "No explanation for this prediction." }
            painter.text(text, in: UIRect(x: area.x, y: area.y + 20, width: area.width, height: 22), size: 13,
                         color: p.mutedText, align: .center)
            return
        }
        let g = ExplainPanelLayout(area: area, tileCount: e.tiles.count)
        let fresh = s.isPredictionCurrent
        for (which, map, rect, caption, label) in [
            (0, e.winnerMap, g.winnerMap, g.winnerCaption, "Why \(e.winner)"),
            (1, e.runnerUpMap, g.runnerUpMap, g.runnerUpCaption, "Why not \(e.runnerUp)?"),
        ] {
            let pixels = EvidenceColor.pixels(map: map, input: e.input, palette: p)
            if pixels.count == e.input.width * e.input.height,
               let t = try? explainMaps[which].texture(for: pixels, width: e.input.width, height: e.input.height,
                                                       renderer: painter.renderer, upload: { $0.update(pixels) }) {
                painter.copy(t, to: rect)
            }
            painter.text(label, in: caption, size: 13, weight: .bold, color: fresh ? p.text : p.mutedText, align: .center)
        }
        painter.text(painter.fitting(e.howToRead, width: g.hint.width, size: 12), in: g.hint, size: 12, color: p.mutedText,
                     align: .center)
        while explainTiles.count < g.tiles.count { explainTiles.append(CachedTexture(.crisp)) }
        for (i, rect) in g.tiles.enumerated() {
            if let t = try? explainTiles[i].texture(for: e.tiles[i], renderer: painter.renderer) { painter.copy(t, to: rect) }
        }
    }
}
