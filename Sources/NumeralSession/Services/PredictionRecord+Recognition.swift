import NumeralStore
import NumeralVision

extension PredictionRecord {
    /// The log record of a recognition, as every front end writes it (the window, the camera
    /// view, the server): the number, its weakest digit's confidence, the top-3 when it is one
    /// digit, the model, the latency, the 28×28 inputs the model saw and the drawing.
    public init(_ r: Recognition, inputType: InputType, drawing: Drawing?, device: String, client: String? = nil) {
        let input = r.digits.flatMap { d in d.input.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) } }
        // The log's top-3 are digits; a letter's reading keeps its text only.
        let top3 = r.digits.count == 1 && r.classes == .digits
            ? r.digits[0].top3.map { DigitProbability(digit: $0.digit, probability: Double($0.probability)) }
            : []
        self.init(inputType: inputType, predicted: r.number, confidence: Double(r.confidence), top3: top3,
                  modelVersion: r.modelID, latencyMs: r.latencyMs, input: input.isEmpty ? nil : input,
                  drawing: drawing, device: device, client: client)
    }
}
