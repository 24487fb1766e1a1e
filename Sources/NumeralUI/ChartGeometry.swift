/// Maps a value interval linearly onto a pixel interval (which may run backwards, as y does).
public struct ChartScale: Equatable, Sendable {
    public var domain: (lower: Double, upper: Double)
    public var range: (start: Double, end: Double)

    public init(domain: (Double, Double), range: (Double, Double)) {
        self.domain = domain
        self.range = range
    }

    public static func == (a: ChartScale, b: ChartScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    public func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        let t = span == 0 || !span.isFinite ? 0.5 : (value - domain.lower) / span
        return range.start + (range.end - range.start) * min(max(t, 0), 1)
    }

    /// A domain that shows `values` with a little air, never empty or infinite, and kept
    /// within `limits` (a loss is never negative, an accuracy never above 100%).
    public static func paddedDomain(_ values: [Double], padding: Double = 0.08,
                                    limits: (lower: Double, upper: Double) = (-.infinity, .infinity)) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (max(0, limits.lower), min(1, limits.upper)) }
        let air = high - low < 1e-12 ? max(abs(high) * 0.1, 0.01) : (high - low) * padding
        var domain = (max(low - air, limits.lower), min(high + air, limits.upper))
        if domain.1 - domain.0 < 1e-12 { domain = (domain.1 - 1, domain.1) }
        return domain
    }
}

/// The accuracy-over-time chart: one slot per bucket, accuracy as a line over bars of the
/// number of labelled predictions. Shared by the renderer and the render tests.
public struct TimelineChartGeometry: Equatable, Sendable {
    public let plot: UIRect
    public let buckets: [AccuracyBucket]
    /// Accuracy at the bottom of the plot: zooms in when accuracy is high everywhere, so a
    /// drop from 99% to 95% is visible, but never hides a bucket.
    public let accuracyFloor: Double
    public let maxLabelled: Int
    /// Bars use at most this share of the plot height so the line stays readable above them.
    public static let barShare = 0.4

    public init(plot: UIRect, timeline: AccuracyTimeline) {
        self.plot = plot
        buckets = timeline.buckets
        let lowest = timeline.buckets.compactMap(\.accuracy).min() ?? 0
        accuracyFloor = min(0.8, max(0, ((lowest - 0.05) * 10).rounded(.down) / 10))
        maxLabelled = timeline.buckets.map(\.labelled).max() ?? 0
    }

    public var slotWidth: Double { buckets.isEmpty ? plot.width : plot.width / Double(buckets.count) }

    public func x(bucket index: Int) -> Double { plot.x + (Double(index) + 0.5) * slotWidth }

    public var accuracyScale: ChartScale { ChartScale(domain: (accuracyFloor, 1), range: (plot.maxY, plot.y)) }

    /// Where the line passes for a bucket; nil for a bucket without feedback (a gap in the line).
    public func point(bucket index: Int) -> UIPoint? {
        guard buckets.indices.contains(index), let accuracy = buckets[index].accuracy else { return nil }
        return UIPoint(x: x(bucket: index), y: accuracyScale(accuracy))
    }

    /// The labelled-count bar of a bucket, standing on the plot's bottom edge.
    public func bar(bucket index: Int) -> UIRect? {
        guard buckets.indices.contains(index), maxLabelled > 0, buckets[index].labelled > 0 else { return nil }
        let height = plot.height * TimelineChartGeometry.barShare * Double(buckets[index].labelled) / Double(maxLabelled)
        let width = max(1, min(slotWidth * 0.6, 28))
        return UIRect(x: x(bucket: index) - width / 2, y: plot.maxY - height, width: width, height: height)
    }

    /// Runs of consecutive buckets with feedback, each drawn as one polyline.
    public var lineRuns: [[UIPoint]] {
        var runs: [[UIPoint]] = []
        var current: [UIPoint] = []
        for i in buckets.indices {
            if let p = point(bucket: i) {
                current.append(p)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Indices of buckets to label on the x axis: at most `maxLabels`, evenly spaced, always the last.
    public func labelledBuckets(maxLabels: Int) -> [Int] {
        guard !buckets.isEmpty, maxLabels > 0 else { return [] }
        let step = max(1, Int((Double(buckets.count) / Double(maxLabels)).rounded(.up)))
        var indices = Array(stride(from: buckets.count - 1, through: 0, by: -step).reversed())
        if indices.first != 0, indices.count < maxLabels { indices.insert(0, at: 0) }
        return indices
    }
}

/// A line chart of per-epoch series (training curves): x is the epoch, y is shared by all series.
public struct EpochChartGeometry: Equatable, Sendable {
    public let plot: UIRect
    public let epochs: [Int]
    public let yScale: ChartScale

    public init(plot: UIRect, epochs: [Int], series: [[Double]],
                limits: (lower: Double, upper: Double) = (-.infinity, .infinity)) {
        self.plot = plot
        self.epochs = epochs
        yScale = ChartScale(domain: ChartScale.paddedDomain(series.flatMap { $0 }, limits: limits), range: (plot.maxY, plot.y))
    }

    public var xScale: ChartScale {
        let first = Double(epochs.first ?? 0), last = Double(epochs.last ?? 1)
        // A single epoch sits in the middle rather than on the left edge.
        return ChartScale(domain: (first, last == first ? first : last), range: (plot.x, plot.maxX))
    }

    public func points(_ values: [Double]) -> [UIPoint] {
        zip(epochs, values).compactMap { epoch, value in
            value.isFinite ? UIPoint(x: xScale(Double(epoch)), y: yScale(value)) : nil
        }
    }
}
