import NumeralRecognition

/// A recognizer whose model can be swapped while it runs: the window's `ModelRecognitionService`
/// or the server's pool of recognizers. The `ActiveModelWatcher` keeps either on the active model.
public protocol ModelSwapping: AnyObject, Sendable {
    /// The id of the model recognitions use now.
    var modelID: String { get }
    /// Uses `model` for every recognition that starts after; those in flight finish with the old one.
    func replaceModel(_ model: DigitModel)
}
