import NumeralValues
import NumeralVision

/// One number read in a camera frame: its digits (probabilities and the 28×28 input each) and
/// each digit's box in the frame's pixels.
public struct CameraNumber: Equatable, Sendable {
    public var digits: [DigitPrediction]
    public var boxes: [PhotoBox]
    /// Below the picture reader's calibrated confidence: shown as a guess.
    public var unsure: Bool

    public init(digits: [DigitPrediction], boxes: [PhotoBox], unsure: Bool = false) {
        self.digits = digits
        self.boxes = boxes
        self.unsure = unsure
    }

    public var text: String { digits.map { String($0.digit) }.joined() }
    /// A number is only as sure as its weakest digit.
    public var confidence: Float { digits.map(\.confidence).min() ?? 0 }
    /// The box around all its digits.
    public var box: PhotoBox {
        boxes.dropFirst().reduce(boxes.first ?? PhotoBox(x: 0, y: 0, width: 0, height: 0)) { $0.union($1) }
    }
}

/// What the photo reader and the model made of one frame: every number in it (top to bottom,
/// each left to right). No numbers means the frame shows no digit.
public struct CameraReading: Equatable, Sendable {
    /// The frame it describes.
    public var frameIndex: Int
    public var numbers: [CameraNumber]
    /// Frame in, boxes and readings out.
    public var latencyMs: Double
    public var modelID: String

    public init(frameIndex: Int, numbers: [CameraNumber], latencyMs: Double, modelID: String) {
        self.frameIndex = frameIndex
        self.numbers = numbers
        self.latencyMs = latencyMs
        self.modelID = modelID
    }

    public var isEmpty: Bool { numbers.isEmpty }
    /// The numbers as text, separated by spaces ("42", "7 1984"); empty when there is none.
    public var text: String { numbers.map(\.text).joined(separator: " ") }
    public var digits: [DigitPrediction] { numbers.flatMap(\.digits) }

    /// All digits as one prediction, the way the result panels and the log take it (a dropped
    /// photo is logged the same way).
    public var display: Recognition {
        Recognition(digits: digits, latencyMs: latencyMs, modelID: modelID)
    }
}
