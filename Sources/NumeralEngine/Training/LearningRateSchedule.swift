import Foundation

/// Learning rate as a function of training progress, with a linear warm-up.
public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
    case constant
    /// Cosine decay from the peak to ~0 after warm-up.
    case cosine
    /// Smith's one-cycle: up from peak/25 to the peak over the first 30%, cosine down to peak/10⁴.
    case oneCycle = "one-cycle"

    /// - Parameters: step counts from 0; `warmupSteps` only affects `.constant` and `.cosine`.
    public func rate(peak: Float, step: Int, totalSteps: Int, warmupSteps: Int) -> Float {
        let total = max(totalSteps, 1)
        switch self {
        case .constant:
            return step < warmupSteps ? peak * Float(step + 1) / Float(warmupSteps) : peak
        case .cosine:
            if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
            let progress = Float(step - warmupSteps) / Float(max(total - warmupSteps, 1))
            return peak * 0.5 * (1 + cosf(.pi * min(progress, 1)))
        case .oneCycle:
            let rampEnd = max(Int(Float(total) * 0.3), 1)
            if step < rampEnd {
                let p = Float(step) / Float(rampEnd)
                let low = peak / 25
                return low + (peak - low) * 0.5 * (1 - cosf(.pi * p))
            }
            let p = Float(step - rampEnd) / Float(max(total - rampEnd, 1))
            let floor = peak / 1e4
            return floor + (peak - floor) * 0.5 * (1 + cosf(.pi * min(p, 1)))
        }
    }
}

/// Stops training when the validation metric has not improved for `patience` epochs and
/// remembers the best epoch so its weights can be restored.
public struct EarlyStopping: Sendable {
    public let patience: Int
    public let minDelta: Double
    public private(set) var best: Double = -.infinity
    public private(set) var bestEpoch = -1
    private var epochsWithoutImprovement = 0

    public init(patience: Int, minDelta: Double = 0) {
        self.patience = patience
        self.minDelta = minDelta
    }

    /// Records a higher-is-better metric; returns whether it is the best so far.
    public mutating func record(_ metric: Double, epoch: Int) -> Bool {
        if metric > best + minDelta {
            best = metric
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    public var shouldStop: Bool { epochsWithoutImprovement >= patience }
}
