/// What `numeral improve`'s adoption guard judged a candidate on, and which of its rules decided.
/// The counts are whole answers on the same images for every model; the fractions beside them are
/// there so JSON readers (the dashboard, the API, scripts) need no arithmetic.
public struct AdoptionGuard: Codable, Equatable, Sendable {
    public enum Rule: String, Codable, Sendable, CaseIterable {
        /// The candidate gets strictly more of the held-out drawings right than the active model
        /// (a tie is no gain).
        case heldOutGain = "held-out-gain"
        /// Its MNIST test accuracy is at least the shipped model's minus `maximumMNISTDrop`: the
        /// bound is on the total loss since the shipped model, not on one run's step.
        case mnistFloor = "mnist-floor"

        /// How the report's text names the rule.
        public var title: String {
            switch self {
            case .heldOutGain: return "held-out gain"
            case .mnistFloor: return "MNIST floor"
            }
        }
    }

    /// The rules the candidate failed, in the order they are checked: empty when it was adopted.
    public var failedRules: [Rule]
    public var passedRules: [Rule]
    /// The active model (before) and the candidate (after) on the held-out feedback.
    public var heldOut: AccuracyChange
    /// The shipped model the MNIST floor is measured from: the root of the active model's lineage.
    public var shippedID: String
    public var maximumMNISTDrop: Double
    public var mnistCount: Int
    public var mnistShippedCorrect: Int
    public var mnistCurrentCorrect: Int
    public var mnistCandidateCorrect: Int
    /// The fewest MNIST images the candidate may get right: the shipped model's count minus the
    /// allowed drop, rounded down to whole images.
    public var mnistFloorCorrect: Int
    public var mnistShipped: Double
    public var mnistCurrent: Double
    public var mnistCandidate: Double
    public var mnistFloor: Double

    public init(failedRules: [Rule], passedRules: [Rule], heldOut: AccuracyChange, shippedID: String, maximumMNISTDrop: Double,
                mnistCount: Int, mnistShippedCorrect: Int, mnistCurrentCorrect: Int, mnistCandidateCorrect: Int, mnistFloorCorrect: Int) {
        self.failedRules = failedRules
        self.passedRules = passedRules
        self.heldOut = heldOut
        self.shippedID = shippedID
        self.maximumMNISTDrop = maximumMNISTDrop
        self.mnistCount = mnistCount
        self.mnistShippedCorrect = mnistShippedCorrect
        self.mnistCurrentCorrect = mnistCurrentCorrect
        self.mnistCandidateCorrect = mnistCandidateCorrect
        self.mnistFloorCorrect = mnistFloorCorrect
        func fraction(_ correct: Int) -> Double { mnistCount > 0 ? Double(correct) / Double(mnistCount) : 0 }
        mnistShipped = fraction(mnistShippedCorrect)
        mnistCurrent = fraction(mnistCurrentCorrect)
        mnistCandidate = fraction(mnistCandidateCorrect)
        mnistFloor = fraction(mnistFloorCorrect)
    }

    public var passed: Bool { failedRules.isEmpty }

    /// "held-out gain failed; MNIST floor passed": which rule decided, in the report's words.
    public var summary: String {
        Rule.allCases.compactMap { rule in
            failedRules.contains(rule) ? "\(rule.title) failed" : passedRules.contains(rule) ? "\(rule.title) passed" : nil
        }.joined(separator: "; ")
    }
}
