/// Why model versions could not be switched or a model could not be improved, worded so the person
/// at the command line (or the dashboard) knows what to do next.
public enum ImprovementError: Error, CustomStringConvertible, Equatable {
    /// Fewer usable corrections in the log than a meaningful fine-tune and evaluation need.
    case notEnoughFeedback(usable: Int, needed: Int, skipped: Int)
    /// The feedback could not be split into a training part and an evaluation part.
    case feedbackNotSplittable(training: Int, heldOut: Int)
    case cancelled
    case invalidSettings(String)
    case unknownModel(id: String, known: [String])
    case modelFileMissing(id: String, path: String)
    /// A model id that cannot be used as a file name in the models directory.
    case unsafeModelID(String)
    case noModelAvailable(reason: String)
    case nothingToRollBack(activeID: String)
    case cannotStoreModel(path: String, reason: String)
    /// The active model was itself fine-tuned on exactly the training drawings in the log now:
    /// another run would only fit the same held-out drawings again.
    case nothingNewToLearn(activeID: String, training: Int)
    /// The shipped model the MNIST floor is measured from cannot be loaded.
    case shippedModelUnavailable(id: String, reason: String)
    /// `model use` of a version the guard advises against (kept aside by improve, or below the
    /// shipped model's MNIST floor), without `force`.
    case activationRefused(id: String, reasons: [String])

    public var description: String {
        switch self {
        case let .notEnoughFeedback(usable, needed, skipped):
            let skippedNote = skipped > 0
                ? " (\(skipped) other labelled record(s) were skipped: multi-digit or logged without their 28x28 input)" : ""
            return "Not enough feedback to improve the model: \(usable) corrected or confirmed single-digit drawing(s) "
                + "with their input are logged\(skippedNote), at least \(needed) are needed. "
                + "Draw more digits in the app and correct (or confirm) its answers, then run `numeral improve` again."
        case let .feedbackNotSplittable(training, heldOut):
            return "The feedback cannot be split for a fair test (\(training) for training, \(heldOut) held out); "
                + "add feedback for more digits and try again."
        case .cancelled:
            return "Improvement cancelled; the active model is unchanged and no candidate was kept."
        case let .invalidSettings(reason):
            return "Invalid improvement settings: \(reason)."
        case let .unknownModel(id, known):
            let list = known.isEmpty ? "none are registered yet" : "known: \(known.joined(separator: ", "))"
            return "There is no model version \"\(id)\" (\(list)). See `numeral model list`."
        case let .modelFileMissing(id, path):
            return "The weights of model \(id) are missing at \(path). Restore the file, or switch to another version "
                + "with `numeral model use ID` (see `numeral model list`)."
        case let .unsafeModelID(id):
            return "The model id \"\(id)\" cannot be used as a file name; ids may only contain letters, digits, '-', '_' and '.'."
        case let .noModelAvailable(reason):
            let advice = reason.contains("numeral train") ? "" : " Train one with `numeral train`, or set NUMERAL_MODEL to a model file."
            return "No model to start from: \(reason).\(advice)"
        case let .nothingToRollBack(activeID):
            return "The active model \(activeID) has no parent to roll back to: it is the base version. "
                + "Use `numeral model use ID` to pick another version."
        case let .cannotStoreModel(path, reason):
            return "Cannot store the model at \(path): \(reason). Check that the data directory is writable and has free space."
        case let .nothingNewToLearn(activeID, training):
            return "Nothing new to learn: the active model \(activeID) was fine-tuned on these same \(training) drawing(s), "
                + "and training on them again would only fit the same held-out drawings by chance. Correct (or confirm) more "
                + "drawings and run `numeral improve` again, or `numeral model rollback` first to fine-tune its parent instead."
        case let .shippedModelUnavailable(id, reason):
            return "Cannot judge a candidate: the shipped model \(id), which the MNIST floor is measured from, cannot be loaded "
                + "(\(reason)). Restore its file in the models directory (a copy ships in Models/)."
        case let .activationRefused(id, reasons):
            return "Model \(id) is not made active: \(reasons.joined(separator: "; ")). "
                + "`numeral model use \(id) --force` activates it anyway."
        }
    }
}
