/// Where the Explain view's pieces go inside the chart card's area: the winner's and the
/// runner-up's maps side by side with captions, one line on how to read them, then the feature
/// map tiles in rows. A pure function of the area, like `Layout`.
public struct ExplainPanelLayout: Equatable, Sendable {
    public let winnerMap: UIRect
    public let runnerUpMap: UIRect
    public let winnerCaption: UIRect
    public let runnerUpCaption: UIRect
    public let hint: UIRect
    public let tiles: [UIRect]

    /// The evidence maps are never drawn smaller than this while tiles could make room.
    public static let smallestMap = 64.0

    public init(area: UIRect, tileCount: Int) {
        let gap = 12.0, captionHeight = 18.0, hintHeight = 18.0
        let tileColumns = 16
        let tileRows = max(1, (tileCount + tileColumns - 1) / tileColumns)
        // Maps take what the tiles leave, at most half the width each.
        let tileGap = 2.0
        let tileSideByWidth = (area.width - Double(tileColumns - 1) * tileGap) / Double(tileColumns)
        let withTiles = min((area.width - gap) / 2, area.height - captionHeight - hintHeight - 8
                            - Double(tileRows) * (min(tileSideByWidth, 28) + tileGap))
        // In a small window the feature-map tiles give way, so the two maps stay readable.
        let showsTiles = withTiles >= ExplainPanelLayout.smallestMap
        let mapSide = max(0, showsTiles ? withTiles : min((area.width - gap) / 2, area.height - captionHeight - hintHeight - 8))
        let mapsWidth = 2 * mapSide + gap
        let x0 = area.x + (area.width - mapsWidth) / 2
        winnerMap = UIRect(x: x0, y: area.y, width: mapSide, height: mapSide)
        runnerUpMap = UIRect(x: x0 + mapSide + gap, y: area.y, width: mapSide, height: mapSide)
        winnerCaption = UIRect(x: winnerMap.x, y: winnerMap.maxY, width: mapSide, height: captionHeight)
        runnerUpCaption = UIRect(x: runnerUpMap.x, y: runnerUpMap.maxY, width: mapSide, height: captionHeight)
        hint = UIRect(x: area.x, y: winnerCaption.maxY + 2, width: area.width, height: hintHeight)
        let tilesTop = hint.maxY + 6
        let side = max(1, min(tileSideByWidth, (area.maxY - tilesTop - Double(tileRows - 1) * tileGap) / Double(tileRows), 28))
        let tilesWidth = Double(tileColumns) * side + Double(tileColumns - 1) * tileGap
        let tx = area.x + (area.width - tilesWidth) / 2
        tiles = (0..<(showsTiles ? max(0, tileCount) : 0)).map { i in
            UIRect(x: tx + Double(i % tileColumns) * (side + tileGap), y: tilesTop + Double(i / tileColumns) * (side + tileGap),
                   width: side, height: side)
        }
    }
}
