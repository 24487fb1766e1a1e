import Foundation

/// The outcome of one `Improver` run: what it trained on, how the candidate compares with the model
/// it started from and with the shipped model, and whether it was adopted. Printed by `numeral improve`, and its numbers are
/// stored in the candidate's card and model-table row so the dashboard can show them.
public struct ImprovementReport: Codable, Equatable, Sendable {
    public enum Decision: String, Codable, Sendable { case adopted, rejected }

    public struct FeedbackCounts: Codable, Equatable, Sendable {
        /// Labelled records in the log.
        public var labelled: Int
        /// Labelled records that are not single-digit or have no stored input.
        public var skipped: Int
        public var training: Int
        public var heldOut: Int
        /// Training records where the user corrected the model (the rest confirmed it).
        public var corrections: Int

        public init(labelled: Int, skipped: Int, training: Int, heldOut: Int, corrections: Int) {
            self.labelled = labelled
            self.skipped = skipped
            self.training = training
            self.heldOut = heldOut
            self.corrections = corrections
        }
    }

    public var parentID: String
    public var candidateID: String
    public var candidatePath: String
    public var decision: Decision
    public var reason: String
    public var feedback: FeedbackCounts
    public var heldOutFeedback: AccuracyChange
    public var mnistTest: AccuracyChange
    /// The adoption guard's rules and figures (held-out before/after; MNIST shipped, current and
    /// candidate). Nil in reports written before the guard measured from the shipped model.
    public var adoption: AdoptionGuard?
    /// A fingerprint of the drawings (record ids and labels) the candidate was trained on, so a
    /// later run can tell it would only train again on the same corrections. Nil in older reports.
    public var trainingDigest: String?
    public var settings: ImprovementSettings
    /// Feedback and replayed MNIST images per epoch together.
    public var imagesPerEpoch: Int
    public var seconds: Double
    public var created: Date

    public init(parentID: String, candidateID: String, candidatePath: String, decision: Decision, reason: String,
                feedback: FeedbackCounts, heldOutFeedback: AccuracyChange, mnistTest: AccuracyChange,
                adoption: AdoptionGuard? = nil, trainingDigest: String? = nil,
                settings: ImprovementSettings, imagesPerEpoch: Int, seconds: Double, created: Date = Date()) {
        self.parentID = parentID
        self.candidateID = candidateID
        self.candidatePath = candidatePath
        self.decision = decision
        self.reason = reason
        self.feedback = feedback
        self.heldOutFeedback = heldOutFeedback
        self.mnistTest = mnistTest
        self.adoption = adoption
        self.trainingDigest = trainingDigest
        self.settings = settings
        self.imagesPerEpoch = imagesPerEpoch
        self.seconds = seconds
        // Whole seconds, as the ISO 8601 JSON keeps it, so a report equals itself after a round trip.
        self.created = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
    }

    public var adopted: Bool { decision == .adopted }

    /// Names of the numbers stored in a candidate's card metrics and model-table row.
    public enum MetricKey {
        public static let adopted = "improvement_adopted"
        public static let feedbackBefore = "improvement_feedback_heldout_accuracy_before"
        public static let feedbackAfter = "improvement_feedback_heldout_accuracy_after"
        public static let feedbackHeldOut = "improvement_feedback_heldout_count"
        public static let feedbackTraining = "improvement_feedback_training_count"
        public static let mnistBefore = "improvement_mnist_test_accuracy_before"
        public static let mnistAfter = "improvement_mnist_test_accuracy_after"
        public static let mnistCount = "improvement_mnist_test_count"
        /// The shipped model's accuracy on the same MNIST images: the floor is this minus 0.1 point.
        public static let mnistShipped = "improvement_mnist_shipped_accuracy"
        /// The card key the trainer uses for the full 10,000-image test set.
        public static let mnistTestAccuracy = "mnist_test_accuracy"
    }

    public var metrics: [String: Double] {
        var m: [String: Double] = [
            MetricKey.adopted: adopted ? 1 : 0,
            MetricKey.feedbackBefore: heldOutFeedback.before,
            MetricKey.feedbackAfter: heldOutFeedback.after,
            MetricKey.feedbackHeldOut: Double(heldOutFeedback.count),
            MetricKey.feedbackTraining: Double(feedback.training),
            MetricKey.mnistBefore: mnistTest.before,
            MetricKey.mnistAfter: mnistTest.after,
            MetricKey.mnistCount: Double(mnistTest.count),
        ]
        if let adoption { m[MetricKey.mnistShipped] = adoption.mnistShipped }
        // Only a full-test-set number may stand beside trained models' own mnist_test_accuracy.
        if mnistTest.count >= 10_000 { m[MetricKey.mnistTestAccuracy] = mnistTest.after }
        return m
    }

    /// The report as the command line prints it (and the card's notes keep it).
    public var text: String {
        func row(_ name: String, _ change: AccuracyChange) -> String {
            let sign = change.changePoints >= 0 ? "+" : ""
            return name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%7.2f%%  %7.2f%%  %@%.2f pp", change.before * 100, change.after * 100, sign, change.changePoints)
        }
        let f = feedback
        var lines = [
            "Fine-tuned \(parentID) into \(candidateID)",
            "Feedback: \(f.labelled) labelled record(s), \(f.training + f.heldOut) usable (\(f.skipped) skipped): "
                + "\(f.training) trained on (\(f.corrections) corrections), \(f.heldOut) held out",
            String(format: "Training: %d epoch(s) of %d images (feedback and MNIST replay 1:%d), learning rate %.1e; took %.0f s",
                   settings.epochs, imagesPerEpoch, settings.replayRatio, Double(settings.learningRate), seconds),
            "                              before     after   change",
            row("Held-out feedback (\(heldOutFeedback.count))", heldOutFeedback),
            row("MNIST test (\(mnistTest.count))", mnistTest),
        ]
        if let a = adoption {
            lines.append(String(format: "MNIST floor: shipped %@ %.2f%% - %.2f pp = %.2f%%; current %.2f%%, candidate %.2f%%",
                                a.shippedID, a.mnistShipped * 100, a.maximumMNISTDrop * 100, a.mnistFloor * 100,
                                a.mnistCurrent * 100, a.mnistCandidate * 100))
            lines.append("Rules: \(a.summary)")
        }
        lines.append(reason)
        lines.append(adopted ? "Active model is now \(candidateID)." : "Active model stays \(parentID); the candidate is kept as \(candidateID).")
        return lines.joined(separator: "\n")
    }

    public static func decode(_ data: Data) throws -> ImprovementReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ImprovementReport.self, from: data)
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
