import Foundation

/// Pure computations over logged records, shared by the dashboard and `numeral stats`.
/// None of them touch the database, so they are tested against hand-computed numbers.
public enum Analytics {
    /// Accuracy over records with feedback; multi-digit numbers count as correct only when
    /// every digit matches.
    public static func accuracy(_ records: [PredictionRecord]) -> AccuracySummary {
        var summary = AccuracySummary(labelled: 0, correct: 0)
        for record in records {
            guard let correct = record.isCorrect else { continue }
            summary.labelled += 1
            if correct { summary.correct += 1 }
        }
        return summary
    }

    /// 10x10 counts, `[actual][predicted]`, over labelled single-digit records.
    public static func confusionMatrix(_ records: [PredictionRecord]) -> [[Int]] {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for record in records {
            if let pair = record.singleDigitPair { matrix[pair.actual][pair.predicted] += 1 }
        }
        return matrix
    }

    /// The off-diagonal confusion cells with a count, largest first (ties: by actual, then
    /// predicted digit).
    public static func mostConfusedPairs(_ records: [PredictionRecord], limit: Int = 10) -> [ConfusedPair] {
        mostConfusedPairs(matrix: confusionMatrix(records), limit: limit)
    }

    static func mostConfusedPairs(matrix: [[Int]], limit: Int) -> [ConfusedPair] {
        var pairs: [ConfusedPair] = []
        for actual in 0..<10 {
            for predicted in 0..<10 where actual != predicted && matrix[actual][predicted] > 0 {
                pairs.append(ConfusedPair(actual: actual, predicted: predicted, count: matrix[actual][predicted]))
            }
        }
        pairs.sort { ($1.count, $0.actual, $0.predicted) < ($0.count, $1.actual, $1.predicted) }
        return Array(pairs.prefix(max(0, limit)))
    }

    /// Beyond this many buckets (27 years of days) the timeline lists only buckets with feedback.
    public static let maximumFilledBuckets: Int64 = 10_000

    /// Accuracy per day, or per hour when the labelled records span less than two days.
    /// Buckets follow `timeZone`'s wall clock (UTC by default). Empty buckets between the
    /// first and last are included, unless that would exceed `maximumFilledBuckets`; then
    /// only buckets with feedback are returned.
    public static func accuracyOverTime(_ records: [PredictionRecord],
                                        timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current) -> AccuracyTimeline {
        let labelled = records.filter { $0.actual != nil }
        return accuracyOverTime(slots: labelled.map { ($0.timestamp, 1, $0.isCorrect == true ? 1 : 0) }, timeZone: timeZone)
    }

    /// The timeline from feedback counted per stretch of time: each slot's `start` stands for
    /// all its records, so a slot must not straddle an hour of any time zone (15-minute UTC
    /// slots never do). The SQL analytics count slots in the database; `accuracyOverTime`
    /// passes one slot per record.
    static func accuracyOverTime(slots: [(start: Date, labelled: Int, correct: Int)], first: Date? = nil, last: Date? = nil,
                                 timeZone: TimeZone) -> AccuracyTimeline {
        let used = slots.filter { $0.labelled > 0 }
        guard let first = first ?? used.map(\.start).min(), let last = last ?? used.map(\.start).max() else {
            return AccuracyTimeline(granularity: .day, buckets: [])
        }
        let granularity: TimeGranularity = last.timeIntervalSince(first) < 2 * 86_400 ? .hour : .day
        let unit: Int64 = granularity == .hour ? 3_600 : 86_400

        // Work in whole local ("wall clock") seconds so a day bucket is a calendar day.
        func localKey(_ date: Date) -> Int64 {
            let local = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(timeZone.secondsFromGMT(for: date))
            return floorDiv(local, unit) * unit
        }
        func startDate(ofLocalKey key: Int64) -> Date {
            let guess = Date(timeIntervalSince1970: TimeInterval(key))
            let offset = timeZone.secondsFromGMT(for: guess.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: guess))))
            return Date(timeIntervalSince1970: TimeInterval(key - Int64(offset)))
        }

        var counts: [Int64: (labelled: Int, correct: Int)] = [:]
        for slot in used {
            let key = localKey(slot.start)
            var cell = counts[key] ?? (0, 0)
            cell.labelled += slot.labelled
            cell.correct += slot.correct
            counts[key] = cell
        }
        let firstKey = localKey(first), lastKey = localKey(last)
        // A stray timestamp decades away would otherwise mean millions of empty days.
        let keys = (lastKey - firstKey) / unit < maximumFilledBuckets
            ? Array(stride(from: firstKey, through: lastKey, by: Int(unit)))
            : counts.keys.sorted()
        let buckets = keys.map { key in
            let cell = counts[key] ?? (0, 0)
            return AccuracyBucket(start: startDate(ofLocalKey: key), labelled: cell.labelled, correct: cell.correct)
        }
        return AccuracyTimeline(granularity: granularity, buckets: buckets)
    }

    public static func summary(_ records: [PredictionRecord], lowConfidenceThreshold: Double = 0.5) -> LogSummary {
        var byType = Dictionary(uniqueKeysWithValues: InputType.allCases.map { ($0.rawValue, 0) })
        var byDevice: [String: Int] = [:]
        var digits = [Int](repeating: 0, count: 10)
        var multiDigit = 0, labelled = 0, low = 0
        var confidences: [Double] = []
        var latencies: [Double] = []
        confidences.reserveCapacity(records.count)
        for record in records {
            byType[record.inputType.rawValue, default: 0] += 1
            byDevice[record.device ?? LogSummary.unknownDevice, default: 0] += 1
            // A single letter is neither a digit nor a number of several (as the database counts it).
            if record.predicted.unicodeScalars.count == 1 {
                if let digit = Int(record.predicted), (0...9).contains(digit) { digits[digit] += 1 }
            } else {
                multiDigit += 1
            }
            if record.actual != nil { labelled += 1 }
            if record.confidence.isFinite {
                confidences.append(record.confidence)
                if record.confidence < lowConfidenceThreshold { low += 1 }
            }
            if let latency = record.latencyMs, latency.isFinite { latencies.append(latency) }
        }
        confidences.sort()
        latencies.sort()
        return LogSummary(
            total: records.count, labelled: labelled, countsByInputType: byType, countsByDevice: byDevice,
            predictedDigitCounts: digits, multiDigitCount: multiDigit,
            meanConfidence: confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count),
            medianConfidence: percentile(sorted: confidences, 50),
            lowConfidenceThreshold: lowConfidenceThreshold, lowConfidenceCount: low,
            lowConfidenceShare: confidences.isEmpty ? nil : Double(low) / Double(confidences.count),
            latencyCount: latencies.count,
            latencyP50Ms: percentile(sorted: latencies, 50),
            latencyP95Ms: percentile(sorted: latencies, 95))
    }

    /// The `p`th percentile (0...100) of ascending `values`, linearly interpolated between
    /// ranks like numpy's default; nil when empty.
    public static func percentile(sorted values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty, p.isFinite else { return nil }
        let rank = min(max(p, 0), 100) / 100 * Double(values.count - 1)
        let lower = Int(rank.rounded(.down)), upper = Int(rank.rounded(.up))
        return values[lower] + (values[upper] - values[lower]) * (rank - Double(lower))
    }

    /// All of the above for the records `filter` selects.
    public static func report(_ records: [PredictionRecord], filter: LogFilter = LogFilter(),
                              lowConfidenceThreshold: Double = 0.5, confusedPairLimit: Int = 10,
                              timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current) -> AnalyticsReport {
        let selected = records.filter(filter.matches)
        return AnalyticsReport(
            filter: filter,
            accuracy: accuracy(selected),
            confusion: confusionMatrix(selected),
            timeline: accuracyOverTime(selected, timeZone: timeZone),
            summary: summary(selected, lowConfidenceThreshold: lowConfidenceThreshold),
            mostConfused: mostConfusedPairs(selected, limit: confusedPairLimit),
            mostConfusedCharacters: mostConfusedCharacters(selected, limit: confusedPairLimit))
    }

    /// Letter readings corrected to another single character, most frequent first.
    public static func mostConfusedCharacters(_ records: [PredictionRecord], limit: Int = 10) -> [CharacterConfusion] {
        var counts: [String: Int] = [:]
        for record in records {
            guard let actual = record.actual, CharacterConfusion.isLetterConfusion(actual: actual, predicted: record.predicted) else { continue }
            counts[actual + record.predicted, default: 0] += 1
        }
        return CharacterConfusion.ranked(counts, limit: limit)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
