import NumeralStore

/// One labelled single-digit drawing from the log, as model input.
public struct FeedbackExample: Equatable, Sendable {
    public var recordID: Int64
    /// The digit the user says was drawn.
    public var label: UInt8
    /// What the model that logged it answered.
    public var predicted: UInt8
    public var modelVersion: String
    /// 784 values in 0...1, ink = 1.
    public var pixels: [Float]

    public init(recordID: Int64, label: UInt8, predicted: UInt8, modelVersion: String, pixels: [Float]) {
        self.recordID = recordID
        self.label = label
        self.predicted = predicted
        self.modelVersion = modelVersion
        self.pixels = pixels
    }

    /// The example a record yields, or nil when it cannot be trained on: no feedback, several
    /// digits (their per-digit labels are ambiguous once segmentation may have erred), or no
    /// stored 28x28 input.
    public init?(record: PredictionRecord) {
        guard let id = record.id, let actual = record.actual, actual.count == 1, record.predicted.count == 1,
              let label = UInt8(actual), label <= 9, let predicted = UInt8(record.predicted), predicted <= 9,
              let input = record.input, input.count == PredictionRecord.inputBytesPerDigit else { return nil }
        self.init(recordID: id, label: label, predicted: predicted, modelVersion: record.modelVersion,
                  pixels: input.map { Float($0) / 255 })
    }

    /// The user corrected the model rather than confirming it.
    public var wasCorrection: Bool { label != predicted }
}
