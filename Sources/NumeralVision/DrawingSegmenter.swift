/// Splits a drawing of several digits written side by side into one drawing per digit.
///
/// Strokes whose horizontal extents overlap by more than `minimumOverlap` of the narrower one
/// belong to the same digit, so the bar and belly of a 5, the two strokes of a 4 or the crossbar
/// of a 7 stay together, while neighbouring digits, which at most touch, stay apart.
public struct DrawingSegmenter: Equatable, Sendable {
    /// Fraction of the narrower extent two extents must share to be one digit.
    public let minimumOverlap: Double
    /// Half-width added to every extent, as a fraction of the drawing's height, so a perfectly
    /// vertical stroke (zero width) still has an extent that can lie inside another one.
    public let extentPadding: Double

    public init(minimumOverlap: Double = 0.3, extentPadding: Double = 0.06) {
        self.minimumOverlap = minimumOverlap.isFinite ? min(max(minimumOverlap, 0), 1) : 0.3
        self.extentPadding = extentPadding.isFinite ? max(extentPadding, 0) : 0.06
    }

    private struct Group {
        var minX: Double
        var maxX: Double
        var strokeIndices: [Int]
    }

    /// The digits from left to right, each a drawing in the original coordinates with its strokes
    /// in drawing order. An empty drawing gives no digits; non-finite coordinates throw
    /// `VisionError.nonFiniteCoordinate`.
    public func segment(_ drawing: Drawing) throws -> [Drawing] {
        let bounds: DrawingBounds
        do {
            bounds = try DrawingBounds(of: drawing)
        } catch VisionError.nothingDrawn {
            return []
        }
        let height = bounds.halfHeight * 2
        let scale = height > 0 && height.isFinite ? height : bounds.halfWidth * 2
        let padding = extentPadding * (scale.isFinite ? scale : 0)

        var groups: [Group] = []
        for (index, stroke) in drawing.strokes.enumerated() {
            guard var minX = stroke.points.first?.x else { continue }
            var maxX = minX
            for point in stroke.points {
                minX = min(minX, point.x)
                maxX = max(maxX, point.x)
            }
            groups.append(Group(minX: minX - padding, maxX: maxX + padding, strokeIndices: [index]))
        }
        groups.sort { $0.minX < $1.minX }
        mergeOverlapping(&groups)

        return groups.map { group in
            Drawing(strokes: group.strokeIndices.sorted().map { drawing.strokes[$0] },
                    width: drawing.width, height: drawing.height,
                    label: groups.count == 1 ? drawing.label : nil)
        }
    }

    /// Merges until stable: a merge widens a group, which can make it overlap another one.
    /// Groups stay sorted by their left edge, so each group only looks right while the
    /// next group starts before it ends.
    private func mergeOverlapping(_ groups: inout [Group]) {
        var merged = true
        while merged {
            merged = false
            var index = 0
            while index < groups.count {
                var next = index + 1
                while next < groups.count, groups[next].minX < groups[index].maxX {
                    if overlapsSignificantly(groups[index], groups[next]) {
                        let absorbed = groups.remove(at: next)
                        groups[index].minX = min(groups[index].minX, absorbed.minX)
                        groups[index].maxX = max(groups[index].maxX, absorbed.maxX)
                        groups[index].strokeIndices += absorbed.strokeIndices
                        merged = true
                    } else {
                        next += 1
                    }
                }
                index += 1
            }
        }
    }

    private func overlapsSignificantly(_ a: Group, _ b: Group) -> Bool {
        let overlap = min(a.maxX, b.maxX) - max(a.minX, b.minX)
        guard overlap >= 0 else { return false }
        let narrower = min(a.maxX - a.minX, b.maxX - b.minX)
        // A zero-width extent (a dot or vertical stroke without padding) inside another is part of it.
        return narrower == 0 || overlap >= minimumOverlap * narrower
    }
}
