/// Errors of the recognition layer, worded for the person running the app or the command line.
public enum RecognitionError: Error, CustomStringConvertible, Equatable {
    case invalidArchitecture(String)
    case modelNotFound(searched: [String])
    case invalidModelCard(path: String, reason: String)
    case datasetUnavailable(String)
    case invalidTrainingConfiguration(String)
    case nonFiniteOutput(modelID: String)
    case invalidInput(String)
    /// A model reads another character set than the one asked for (or than its companion models).
    case characterSetMismatch(path: String, reads: CharacterClasses, wanted: CharacterClasses)

    public var description: String {
        switch self {
        case let .invalidArchitecture(r): return "Invalid model architecture: \(r)."
        case let .modelNotFound(searched):
            return "No model found. Looked in: \(searched.joined(separator: ", ")). Train one with `numeral train` or pass --model PATH."
        case let .invalidModelCard(p, r):
            return "The model card \(p) is unusable: \(r). Use the card written with the weights by `numeral train`, "
                + "or another model (--model PATH, `numeral model use ID`)."
        case let .datasetUnavailable(r): return r
        case let .invalidTrainingConfiguration(r): return "Invalid training settings: \(r)."
        case let .nonFiniteOutput(id):
            return "Model \(id) gave NaN or infinite probabilities for this input, so there is no answer; "
                + "its weights are damaged or out of range. Retrain or roll back to another model."
        case let .invalidInput(r): return "Invalid model input: \(r)."
        case let .characterSetMismatch(path, reads, wanted):
            return "The model \(path) reads \(reads.rawValue), not \(wanted.rawValue): use a model trained for "
                + "\(wanted.rawValue) (`numeral train --classes \(wanted.rawValue)`) or choose --classes \(reads.rawValue)."
        }
    }
}
