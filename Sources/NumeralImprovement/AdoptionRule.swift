import Foundation

/// The adoption rule: the candidate may cost at most `maximumMNISTDrop` of MNIST test accuracy and
/// must not do worse on the user's held-out feedback. Compared in whole answers, not floats, so a
/// drop of exactly the limit is allowed on every set size.
public enum AdoptionRule {
    public static func decide(mnist: AccuracyChange, feedback: AccuracyChange,
                              maximumMNISTDrop: Double) -> (adopt: Bool, reason: String) {
        let allowedLost = Int((maximumMNISTDrop * Double(mnist.count) + 1e-9).rounded(.down))
        let lost = mnist.correctBefore - mnist.correctAfter
        let mnistHolds = lost <= allowedLost
        let feedbackHolds = feedback.correctAfter >= feedback.correctBefore
        let limit = format(maximumMNISTDrop * 100)
        let mnistText = lost > 0
            ? "MNIST test accuracy fell \(format(-mnist.changePoints)) pp (\(lost) of \(mnist.count) images; at most \(limit) pp allowed)"
            : "MNIST test accuracy \(lost == 0 ? "held" : "rose \(format(mnist.changePoints)) pp")"
        let feedbackText: String
        switch feedback.correctAfter - feedback.correctBefore {
        case let d where d > 0:
            feedbackText = "held-out feedback accuracy rose \(format(feedback.changePoints)) pp "
                + "(\(feedback.correctBefore) -> \(feedback.correctAfter) of \(feedback.count))"
        case 0:
            feedbackText = "held-out feedback accuracy stayed at \(feedback.correctAfter) of \(feedback.count)"
        default:
            feedbackText = "held-out feedback accuracy fell \(format(-feedback.changePoints)) pp "
                + "(\(feedback.correctBefore) -> \(feedback.correctAfter) of \(feedback.count))"
        }
        switch (mnistHolds, feedbackHolds) {
        case (true, true): return (true, "Adopted: \(feedbackText) and \(mnistText).")
        case (false, true): return (false, "Kept aside: \(mnistText), although \(feedbackText).")
        case (true, false): return (false, "Kept aside: \(feedbackText), although \(mnistText).")
        case (false, false): return (false, "Kept aside: \(mnistText) and \(feedbackText).")
        }
    }

    static func format(_ points: Double) -> String {
        String(format: "%.2f", points)
    }
}
