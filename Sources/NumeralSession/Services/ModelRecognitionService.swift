import Foundation
import NumeralRecognition
import NumeralUI
import NumeralVision

/// The window's recognizer: NumeralRecognition's `Recognizer` behind a lock (the model reuses its
/// buffers, so one call at a time), with the model swappable at run time when a better one is adopted.
public final class ModelRecognitionService: DigitRecognizing, DigitExplaining, ModelSwapping, Sendable {
    private struct Model {
        var recognizer: Recognizer
        /// Made on first use for the current model (its own copy of the network, for gradients).
        var explainer: Explainer?
    }

    private let model: Locked<Model>
    /// Recognizers of the letter sets, loaded from the shipped models the first time each is asked
    /// for (a failure is kept and said again, not retried on every stroke).
    private let others = Locked<[CharacterClasses: Result<Recognizer, Error>]>([:])
    private let locator: ModelLocator

    public init(recognizer: Recognizer, locator: ModelLocator = ModelLocator()) {
        model = Locked(Model(recognizer: recognizer))
        self.locator = locator
    }

    public var modelID: String { model.withLock { $0.recognizer.model.id } }

    /// Replaces the model; predictions in flight finish with the old one.
    public func replaceModel(_ next: DigitModel) {
        // The pen-trajectory and picture models go with the input kinds, not with an image model version.
        model.withLock { current in
            current = Model(recognizer: Recognizer(model: next, trajectoryModel: current.recognizer.trajectoryModel,
                                                   pictureModel: current.recognizer.pictureModel))
        }
    }

    public func recognize(_ drawing: Drawing) throws -> Recognition {
        try model.withLock { try $0.recognizer.recognize(drawing) }
    }

    /// Digits with the current model; letters and both with their shipped models (found like the
    /// digit model's companions).
    public func recognize(_ drawing: Drawing, classes: CharacterClasses) throws -> Recognition {
        guard classes != .digits else { return try recognize(drawing) }
        return try others.withLock { loaded in
            let result = loaded[classes] ?? Result {
                var locator = self.locator
                locator.classes = classes
                locator.explicitPath = nil
                locator.activeModelPath = nil
                return try Recognizer(locator: locator)
            }
            loaded[classes] = result
            return try result.get().recognize(drawing)
        }
    }

    public func recognize(pngAt path: String) throws -> (Recognition, GrayImage) {
        let result = try recognizePicture(at: path)
        return (result.recognition, result.picture)
    }

    /// A picture file through the one picture reader: its recognition, the picture to show, and
    /// whether the reading is unsure.
    public func recognizePicture(at path: String) throws -> (recognition: Recognition, picture: GrayImage, unsure: Bool) {
        let (picture, _) = try PictureFile.read(path: path)
        let reading = try model.withLock { try $0.recognizer.read(picture: picture) }
        guard !reading.isEmpty else { throw PictureError.noInk(width: picture.width, height: picture.height) }
        return (reading.recognition, Self.preview(picture), reading.unsure)
    }

    /// Reads a photo or a camera frame: the digits on the paper, with their boxes.
    public func read(photo: DecodedImage) -> PhotoRecognition {
        model.withLock { $0.recognizer.read(photo: photo) }
    }

    public func explain(_ inputs: [GrayImage]) throws -> [ExplanationDisplay] {
        try model.withLock { m in
            let explainer = try m.explainer ?? Explainer(model: m.recognizer.model)
            m.explainer = explainer
            return try inputs.map { Self.display(try explainer.explain(image: $0)) }
        }
    }

    /// The explanation as the window shows it: feature maps become tiles, each scaled to its peak.
    static func display(_ e: DigitExplanation) -> ExplanationDisplay {
        var tiles: [GrayImage] = []
        for maps in e.featureMaps {
            let layerPeak = max(maps.values.max() ?? 0, 1e-6)
            for c in 0..<maps.channels {
                let values = Array(maps.channel(c))
                // A channel that barely fires stays dark instead of showing amplified noise.
                let peak = max(values.max() ?? 0, layerPeak * 0.05)
                tiles.append(GrayImage(width: maps.width, height: maps.height, pixels: values.map { min(max($0 / peak, 0), 1) }))
            }
        }
        return ExplanationDisplay(winner: e.winner, runnerUp: e.runnerUp, input: e.prediction.input,
                                  winnerMap: e.winnerMap, runnerUpMap: e.runnerUpMap, tiles: tiles)
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
