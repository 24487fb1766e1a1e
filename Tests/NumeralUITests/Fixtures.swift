import NumeralUI
import NumeralVision

/// Builders that keep reducer tests short and readable.
enum Fixtures {
    static let stamp = LocalTimestamp(year: 2026, month: 3, day: 7, hour: 9, minute: 5, second: 1)

    static func display(_ number: String, confidence: Float = 0.9) -> Recognition {
        let digits = number.compactMap { $0.wholeNumberValue }.map { d -> DigitPrediction in
            var p = [Float](repeating: (1 - confidence) / 9, count: 10)
            p[d] = confidence
            return DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28, fill: Float(d) / 10))
        }
        return Recognition(digits: digits, latencyMs: 0.4, modelID: "test-1")
    }

    /// Dashboard data with these totals and confusion matrix (default: all zero).
    static func dashboardData(total: Int, labelled: Int, correct: Int, confusion: [[Int]]? = nil,
                              devices: [String: Int] = [:]) -> DashboardData {
        var report = AnalyticsReport.empty
        report.summary.total = total
        report.summary.labelled = labelled
        report.summary.countsByDevice = devices
        report.accuracy = AccuracySummary(labelled: labelled, correct: correct)
        if let confusion { report.confusion = confusion }
        return DashboardData(report: report, logPath: "/tmp/log.sqlite")
    }

    static func key(_ k: Key, ctrl: Bool = false, time: Double = 0) -> AppEvent {
        .key(KeyPress(k, ctrl: ctrl, time: time, stamp: stamp))
    }

    static func pointer(_ phase: PointerPhase, _ p: UIPoint, source: PointerSource = .mouse,
                        pressure: Double? = nil, time: Double) -> AppEvent {
        .pointer(PointerEvent(phase, source, at: p, pressure: pressure, time: time))
    }
}

extension AppState {
    /// Draws a straight stroke across the canvas from `fraction` a to b of its size.
    @discardableResult
    mutating func drawStroke(from a: (Double, Double) = (0.3, 0.3), to b: (Double, Double) = (0.6, 0.7),
                             source: PointerSource = .mouse, startTime: Double = 0) -> [AppEffect] {
        let c = layout.canvas
        func at(_ f: (Double, Double)) -> UIPoint { UIPoint(x: c.x + c.width * f.0, y: c.y + c.height * f.1) }
        var effects = reduce(&self, Fixtures.pointer(.down, at(a), source: source, time: startTime))
        for i in 1...10 {
            let t = Double(i) / 10
            let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
            effects += reduce(&self, Fixtures.pointer(.move, at(p), source: source, time: startTime + 0.01 * Double(i)))
        }
        effects += reduce(&self, Fixtures.pointer(.up, at(b), source: source, time: startTime + 0.12))
        return effects
    }

    mutating func click(_ button: ButtonID, time: Double = 5) -> [AppEffect] {
        guard let r = layout.rect(of: button) else { return [] }
        var effects = reduce(&self, Fixtures.pointer(.down, r.center, time: time))
        effects += reduce(&self, Fixtures.pointer(.up, r.center, time: time + 0.05))
        return effects
    }
}
