import Foundation
import NumeralRecognition
import NumeralUI
import NumeralVision

/// The window's recognizer: NumeralRecognition's `Recognizer` behind a lock (the model reuses its
/// buffers, so one call at a time), with the model swappable at run time when a better one is adopted.
public final class ModelRecognitionService: DigitRecognizing, @unchecked Sendable {
    private let lock = NSLock()
    private var recognizer: Recognizer

    public init(recognizer: Recognizer) { self.recognizer = recognizer }

    public var modelID: String { lock.lock(); defer { lock.unlock() }; return recognizer.model.id }

    /// Replaces the model; predictions in flight finish with the old one.
    public func replaceModel(_ model: DigitModel) {
        let next = Recognizer(model: model)
        lock.lock(); recognizer = next; lock.unlock()
    }

    public func recognize(_ drawing: Drawing) throws -> RecognitionDisplay {
        lock.lock(); defer { lock.unlock() }
        return Self.display(try recognizer.recognize(drawing))
    }

    public func recognize(pngAt path: String) throws -> (RecognitionDisplay, GrayImage) {
        let (picture, format) = try PictureFile.read(path: path)
        lock.lock(); defer { lock.unlock() }
        let result = try recognizer.recognize(picture: picture, format: format)
        return (Self.display(result), Self.preview(picture))
    }

    static func display(_ r: Recognition) -> RecognitionDisplay {
        RecognitionDisplay(number: r.number,
                           digits: r.digits.map { DigitDisplay(probabilities: $0.probabilities, input: $0.input) },
                           latencyMs: r.latencyMs, modelVersion: r.modelID)
    }

    /// The dropped picture as ink on paper for the canvas (luminance, alpha over white).
    static func preview(_ p: DecodedImage) -> GrayImage {
        var pixels = [Float](repeating: 0, count: p.width * p.height)
        for i in 0..<pixels.count {
            let r = Float(p.rgba[4 * i]), g = Float(p.rgba[4 * i + 1]), b = Float(p.rgba[4 * i + 2])
            let a = Float(p.rgba[4 * i + 3]) / 255
            let luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255 * a + (1 - a)
            pixels[i] = 1 - luminance
        }
        return GrayImage(width: p.width, height: p.height, pixels: pixels)
    }
}
