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

    /// Most digits one drawing may hold; more is not a number anyone writes by hand.
    public static let maxDigits = 100

    /// The digits from left to right, each a drawing in the original coordinates with its strokes
    /// in drawing order. An empty drawing gives no digits; non-finite coordinates throw
    /// `VisionError.nonFiniteCoordinate`, more than `Drawing.maxPoints` points
    /// `VisionError.tooManyPoints` and more than `maxDigits` digits `VisionError.tooManyDigits`.
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
        guard groups.count <= Self.maxDigits else {
            throw VisionError.tooManyDigits(count: groups.count, limit: Self.maxDigits)
        }

        return groups.map { group in
            Drawing(strokes: group.strokeIndices.sorted().map { drawing.strokes[$0] },
                    width: drawing.width, height: drawing.height,
                    label: groups.count == 1 ? drawing.label : nil)
        }
    }

    /// One left-to-right sweep over the groups sorted by left edge, keeping a stack of finished
    /// groups whose extents, like their left edges, increase and of which neighbours overlap too
    /// little to be one digit. A new group is compared with the stack's groups that reach its left
    /// edge (a short suffix); if it overlaps one of them enough, it absorbs that group and every
    /// group above it, and the result is compared again. Every group is pushed once and absorbed
    /// at most once, so the cost stays linear in the number of strokes after the sort.
    private func mergeOverlapping(_ groups: inout [Group]) {
        var stack: [Group] = []
        stack.reserveCapacity(groups.count)
        for group in groups {
            var current = group
            while true {
                var deepest: Int?
                var index = stack.count - 1
                while index >= 0, current.minX < stack[index].maxX {
                    if overlapsSignificantly(stack[index], current) { deepest = index }
                    index -= 1
                }
                guard let hit = deepest else { break }
                var merged = stack[hit]
                for other in stack[(hit + 1)...] { absorb(other, into: &merged) }
                absorb(current, into: &merged)
                stack.removeSubrange(hit...)
                current = merged
            }
            stack.append(current)
        }
        groups = stack
    }

    private func absorb(_ other: Group, into group: inout Group) {
        group.minX = min(group.minX, other.minX)
        group.maxX = max(group.maxX, other.maxX)
        group.strokeIndices += other.strokeIndices
    }

    private func overlapsSignificantly(_ a: Group, _ b: Group) -> Bool {
        let overlap = min(a.maxX, b.maxX) - max(a.minX, b.minX)
        guard overlap >= 0 else { return false }
        let narrower = min(a.maxX - a.minX, b.maxX - b.minX)
        // A zero-width extent (a dot or vertical stroke without padding) inside another is part of it.
        return narrower == 0 || overlap >= minimumOverlap * narrower
    }
}
