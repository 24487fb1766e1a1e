import Foundation

/// The adoption guard, the one place that decides whether a fine-tuned candidate replaces the active
/// model (`numeral improve`, the dashboard's Improve and `POST /api/v1/improve` all run `Improver`,
/// which asks here). Two rules, both compared in whole answers, not floats:
///
/// 1. **Held-out gain**: the candidate gets strictly more of the user's held-out drawings right than
///    the active model. A tie is no gain: adopting it would only trade one model for another.
/// 2. **MNIST floor**: its MNIST test accuracy is at least the *shipped* model's (the root of the
///    active model's lineage) minus `maximumMNISTDrop`. Bounding the loss against the shipped model,
///    not the active one, keeps repeated runs from drifting down 0.05 points at a time.
public enum AdoptionRule {
    public struct Decision: Sendable {
        public var adopt: Bool
        /// One or two sentences for people: the outcome, the rule that decided and its figures.
        public var reason: String
        public var figures: AdoptionGuard
    }

    /// - Parameters:
    ///   - heldOut: the active model (before) and the candidate (after) on the held-out feedback.
    ///   - mnist: the active model (before) and the candidate (after) on the MNIST test images.
    ///   - shippedID: the shipped model the floor is measured from.
    ///   - mnistShippedCorrect: its correct answers on the same MNIST images.
    public static func decide(heldOut: AccuracyChange, mnist: AccuracyChange, shippedID: String, mnistShippedCorrect: Int,
                              maximumMNISTDrop: Double) -> Decision {
        let allowedLost = Int((maximumMNISTDrop * Double(mnist.count) + 1e-9).rounded(.down))
        let floorCorrect = mnistShippedCorrect - allowedLost
        let gain = heldOut.correctAfter > heldOut.correctBefore
        let aboveFloor = mnist.correctAfter >= floorCorrect
        let figures = AdoptionGuard(
            failedRules: (gain ? [] : [.heldOutGain]) + (aboveFloor ? [] : [.mnistFloor]),
            passedRules: (gain ? [.heldOutGain] : []) + (aboveFloor ? [.mnistFloor] : []),
            heldOut: heldOut, shippedID: shippedID, maximumMNISTDrop: maximumMNISTDrop, mnistCount: mnist.count,
            mnistShippedCorrect: mnistShippedCorrect, mnistCurrentCorrect: mnist.correctBefore,
            mnistCandidateCorrect: mnist.correctAfter, mnistFloorCorrect: floorCorrect)

        let of = "of \(heldOut.count) held-out drawing(s) right"
        let heldOutText: String
        switch heldOut.correctAfter - heldOut.correctBefore {
        case let d where d > 0:
            heldOutText = "held-out feedback rose from \(heldOut.correctBefore) to \(heldOut.correctAfter) \(of) "
                + "(+\(format(heldOut.changePoints)) pp)"
        case 0:
            heldOutText = "held-out feedback stayed at \(heldOut.correctAfter) \(of), and a tie is no gain "
                + "(the candidate must get more of them right than the active model)"
        default:
            heldOutText = "held-out feedback fell from \(heldOut.correctBefore) to \(heldOut.correctAfter) \(of) "
                + "(\(format(heldOut.changePoints)) pp)"
        }
        let limit = format(maximumMNISTDrop * 100)
        let shipped = "the shipped model \(shippedID)'s \(percent(figures.mnistShipped))"
        let mnistText = aboveFloor
            ? "MNIST test accuracy \(percent(figures.mnistCandidate)) is within \(limit) pp of \(shipped) "
                + "(floor \(percent(figures.mnistFloor)))"
            : "MNIST test accuracy fell to \(percent(figures.mnistCandidate)) (\(mnist.correctAfter) of \(mnist.count)), "
                + "below \(shipped) minus \(limit) pp (floor \(percent(figures.mnistFloor)): \(floorCorrect) of \(mnist.count))"

        let reason: String
        switch (gain, aboveFloor) {
        case (true, true): reason = "Adopted: \(heldOutText), and \(mnistText)."
        case (false, true): reason = "Kept aside by the held-out gain rule: \(heldOutText); \(mnistText)."
        case (true, false): reason = "Kept aside by the MNIST floor rule: \(mnistText), although \(heldOutText)."
        case (false, false): reason = "Kept aside by the held-out gain and MNIST floor rules: \(heldOutText); and \(mnistText)."
        }
        return Decision(adopt: gain && aboveFloor, reason: reason, figures: figures)
    }

    static func format(_ points: Double) -> String {
        String(format: "%.2f", points)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.2f%%", fraction * 100)
    }
}
