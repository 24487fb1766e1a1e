import Foundation

extension AnalyticsReport {
    /// A terminal-width text rendering: headline numbers, the confusion matrix and the
    /// accuracy timeline with bars.
    public func text() -> String {
        var lines: [String] = []
        lines.append("Prediction log: \(summary.total) predictions, \(summary.labelled) with feedback\(filterDescription())")
        if let accuracy = accuracy.accuracy {
            lines.append("Accuracy:    \(percent(accuracy)) (\(self.accuracy.correct) of \(self.accuracy.labelled) with feedback)")
        } else {
            lines.append("Accuracy:    no feedback yet (correct some predictions to measure it)")
        }
        if let mean = summary.meanConfidence, let median = summary.medianConfidence, let low = summary.lowConfidenceShare {
            lines.append("Confidence:  mean \(fixed(mean, 3)), median \(fixed(median, 3)); "
                + "\(percent(low)) (\(summary.lowConfidenceCount)) below \(fixed(summary.lowConfidenceThreshold, 2))")
        }
        if let p50 = summary.latencyP50Ms, let p95 = summary.latencyP95Ms {
            lines.append("Latency:     p50 \(fixed(p50, 3)) ms, p95 \(fixed(p95, 3)) ms (\(summary.latencyCount) timed)")
        }
        let types = InputType.allCases.map { "\($0.rawValue) \(summary.countsByInputType[$0.rawValue] ?? 0)" }
        lines.append("Input types: " + types.joined(separator: ", "))
        if summary.countsByDevice.count > 1 || summary.countsByDevice.keys.first != LogSummary.unknownDevice {
            let devices = summary.countsByDevice.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\(TerminalText.safe($0.key)) \($0.value)" }
            if !devices.isEmpty { lines.append("Devices:     " + devices.joined(separator: ", ")) }
        }
        let digits = summary.predictedDigitCounts.enumerated().map { "\($0.offset):\($0.element)" }
        lines.append("Predicted:   " + digits.joined(separator: " ") + "  multi-digit:\(summary.multiDigitCount)")
        lines.append("")
        lines.append(contentsOf: confusionLines())
        if !mostConfused.isEmpty {
            lines.append("")
            lines.append("Most confused: " + mostConfused.map { "\($0.actual) read as \($0.predicted) x\($0.count)" }
                .joined(separator: ", "))
        }
        if let letters = mostConfusedCharacters, !letters.isEmpty {
            lines.append("")
            lines.append("Letters confused: " + letters.map { "\($0.actual) read as \($0.predicted) x\($0.count)" }
                .joined(separator: ", "))
        }
        if !timeline.buckets.isEmpty {
            lines.append("")
            lines.append("Accuracy per \(timeline.granularity.rawValue) (UTC):")
            lines.append(contentsOf: timelineLines())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func filterDescription() -> String {
        var parts: [String] = []
        if let from = filter.from { parts.append("from \(UTCTimestamp.format(from) ?? "?")") }
        if let to = filter.to { parts.append("before \(UTCTimestamp.format(to) ?? "?")") }
        if let type = filter.inputType { parts.append("input type \(type.rawValue)") }
        if let device = filter.device { parts.append("device \(TerminalText.safe(device))") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    private func confusionLines() -> [String] {
        let largest = confusion.flatMap { $0 }.max() ?? 0
        let width = max(3, String(largest).count + 1)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines = ["Confusion matrix (rows = actual digit, columns = predicted digit):"]
        lines.append("      " + (0..<10).map { cell(String($0)) }.joined())
        for (actual, row) in confusion.enumerated() {
            // Dots for zeros so the few real confusions stand out.
            lines.append("    \(actual) " + row.map { cell($0 == 0 ? "." : String($0)) }.joined())
        }
        return lines
    }

    private func timelineLines() -> [String] {
        let countsWidth = max(9, timeline.buckets.map { "\($0.correct)/\($0.labelled)".count }.max() ?? 0)
        return timeline.buckets.map { bucket in
            let stamp = UTCTimestamp.format(bucket.start) ?? "?"
            let label = timeline.granularity == .day ? String(stamp.prefix(10)) : String(stamp.prefix(13)) + ":00"
            let counts = "\(bucket.correct)/\(bucket.labelled)"
            let padded = String(repeating: " ", count: max(0, countsWidth - counts.count)) + counts
            guard let accuracy = bucket.accuracy else { return "  \(label) \(padded)       -" }
            let filled = Int((accuracy * 20).rounded())
            let shown = percent(accuracy)
            return "  \(label) \(padded) \(String(repeating: " ", count: max(0, 7 - shown.count)))\(shown) "
                + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
        }
    }

    private func percent(_ value: Double) -> String { fixed(value * 100, 1) + "%" }

    private func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
