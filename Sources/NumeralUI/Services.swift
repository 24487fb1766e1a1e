import NumeralVision

/// The digit model as the window needs it. Implementations must be safe to call from a
/// background queue: the window never calls them on its UI thread.
public protocol DigitRecognizing: Sendable {
    func recognize(_ drawing: Drawing) throws -> RecognitionDisplay
    /// Recognizes a picture file and also returns the picture to show on the canvas.
    func recognize(pngAt path: String) throws -> (RecognitionDisplay, GrayImage)
}

/// Explanations of the model's answers. Called off the UI thread, like the recognizer.
public protocol DigitExplaining: Sendable {
    /// One explanation per digit input (28×28 model input).
    func explain(_ inputs: [GrayImage]) throws -> [ExplanationDisplay]
}

/// The prediction log as the window needs it. Called off the UI thread.
public protocol PredictionLogging: Sendable {
    /// Records one prediction and returns its id, used later to attach the user's feedback.
    func logPrediction(_ r: RecognitionDisplay, inputType: String, drawing: Drawing?) throws -> Int64
    func logFeedback(id: Int64, actual: String) throws
}
