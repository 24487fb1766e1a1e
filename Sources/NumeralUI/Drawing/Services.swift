import NumeralVision

/// The digit model as the window needs it. Implementations must be safe to call from a
/// background queue: the window never calls them on its UI thread.
public protocol DigitRecognizing: Sendable {
    func recognize(_ drawing: Drawing) throws -> Recognition
    /// The drawing read with the models of another character set.
    func recognize(_ drawing: Drawing, classes: CharacterClasses) throws -> Recognition
    /// Recognizes a picture file and also returns the picture to show on the canvas.
    func recognize(pngAt path: String) throws -> (Recognition, GrayImage)
    /// The same, also saying whether the picture reader marked the reading unsure.
    func recognizePicture(at path: String) throws -> (recognition: Recognition, picture: GrayImage, unsure: Bool)
}

extension DigitRecognizing {
    /// Recognizers without letter models read digits only.
    public func recognize(_ drawing: Drawing, classes: CharacterClasses) throws -> Recognition {
        guard classes == .digits else {
            throw VisionError.invalidRequest("No \(classes.displayName) model is loaded; the window reads digits only.")
        }
        return try recognize(drawing)
    }

    /// Recognizers that cannot tell are never unsure.
    public func recognizePicture(at path: String) throws -> (recognition: Recognition, picture: GrayImage, unsure: Bool) {
        let (recognition, picture) = try recognize(pngAt: path)
        return (recognition, picture, false)
    }
}

/// Explanations of the model's answers. Called off the UI thread, like the recognizer.
public protocol DigitExplaining: Sendable {
    /// One explanation per digit input (28×28 model input).
    func explain(_ inputs: [GrayImage]) throws -> [ExplanationDisplay]
}

/// The prediction log as the window needs it. Called off the UI thread, one call at a time
/// and in order, so a record's feedback always follows its prediction.
public protocol PredictionLogging: Sendable {
    /// Writes the session's record `record` (one per drawing): creates it the first time,
    /// updates it afterwards. Returns `.logged` or `.kept` (safe in the spool); throws when
    /// the prediction could be neither written nor kept.
    func logPrediction(_ r: Recognition, inputType: InputType, drawing: Drawing?, record: Int) throws -> LogOutcome
    /// Attaches the user's answer to the session's record `record`.
    func logFeedback(actual: String, record: Int) throws -> LogOutcome
}
