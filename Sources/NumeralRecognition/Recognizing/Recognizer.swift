import Foundation
import NumeralVision

/// Turns drawings (and, through `PictureRecognizer`, pictures) into recognitions with one model.
/// Not thread-safe, like the model; the app owns one per inference queue.
public final class Recognizer {
    public let model: DigitModel
    public var normalizer: DrawingNormalizer
    public var segmenter: DrawingSegmenter
    /// Averages the model over a few shifted and rotated copies: a little more accurate, ~7× the work.
    public var testTimeAugmentation: TestTimeAugmentation?
    /// For drawings only: the pen-trajectory model, fused with the image model's answer for each
    /// digit (weighted by its card's `fusionWeight`). Pictures and photos never use it.
    public var trajectoryModel: PenTrajectoryModel?
    /// For pictures and photos only: a second image model, fine-tuned on box-stretched scans,
    /// whose probabilities are averaged with the image model's for each digit. Drawings never use it.
    public var pictureModel: DigitModel?
    /// A picture reading whose least sure digit is below this confidence is marked unsure
    /// (`PhotoRecognition.unsure`). Calibrated on real photos: see README, "Real photos".
    public var unsureBelow: Float = Recognizer.defaultUnsureBelow
    public static let defaultUnsureBelow: Float = 0.8

    public init(model: DigitModel, normalizer: DrawingNormalizer = DrawingNormalizer(),
                segmenter: DrawingSegmenter = DrawingSegmenter(), testTimeAugmentation: TestTimeAugmentation? = nil,
                trajectoryModel: PenTrajectoryModel? = nil, pictureModel: DigitModel? = nil) {
        self.model = model
        self.normalizer = normalizer
        self.segmenter = segmenter
        self.testTimeAugmentation = testTimeAugmentation
        self.trajectoryModel = trajectoryModel
        self.pictureModel = pictureModel
    }

    /// Loads the model found by `locator`, and the pen-trajectory and picture models that go with it.
    /// Each must read the locator's character set (`RecognitionError.characterSetMismatch` otherwise).
    public convenience init(locator: ModelLocator) throws {
        let path = try locator.locate()
        let loaded = try Self.load(weightsPath: path, locator: locator)
        self.init(model: loaded.model, trajectoryModel: loaded.trajectoryModel, pictureModel: loaded.pictureModel)
    }

    /// The image model at `weightsPath` with the pen-trajectory and picture models `locator` finds
    /// for it: how the app, the server and the command line all build their recognizers. Every
    /// file is checked as strictly; a companion model that is present but broken is an error.
    /// The image model must read `locator.classes`, and its companions the same set.
    public static func load(weightsPath: String, locator: ModelLocator = ModelLocator()) throws -> Recognizer {
        let model = try DigitModel.load(weightsPath: weightsPath)
        guard model.classes == locator.classes else {
            throw RecognitionError.characterSetMismatch(path: weightsPath, reads: model.classes, wanted: locator.classes)
        }
        let trajectoryPath = locator.trajectoryPath(besideImageModel: weightsPath)
        let trajectory = try trajectoryPath.map(PenTrajectoryModel.load(weightsPath:))
        if let trajectory, let trajectoryPath, trajectory.classes != model.classes {
            throw RecognitionError.characterSetMismatch(path: trajectoryPath, reads: trajectory.classes, wanted: model.classes)
        }
        let picturePath = locator.picturePath(besideImageModel: weightsPath)
        let picture = try picturePath.map(DigitModel.load(weightsPath:))
        if let picture, let picturePath, picture.classes != model.classes {
            throw RecognitionError.characterSetMismatch(path: picturePath, reads: picture.classes, wanted: model.classes)
        }
        return Recognizer(model: model, trajectoryModel: trajectory, pictureModel: picture)
    }

    /// The characters this recognizer reads.
    public var classes: CharacterClasses { model.classes }

    /// Recognizes a drawing; several digits side by side become a number.
    /// Throws `VisionError.nothingDrawn` for an empty drawing and `.nonFiniteCoordinate` for NaN input.
    public func recognize(_ drawing: Drawing, multiDigit: Bool = true) throws -> Recognition {
        let start = DispatchTime.now()
        try drawing.validate()
        let parts = multiDigit ? try segmenter.segment(drawing) : [drawing]
        guard !parts.isEmpty else { throw VisionError.nothingDrawn }
        var digits = try parts.map { try classify(drawing: $0) }
        if classes != .digits {
            let line = LetterCaseByLine.extents(of: parts)
            LetterCaseByLine.apply(to: &digits, tops: line.tops, bottoms: line.bottoms)
        }
        return try checked(Recognition(digits: digits, latencyMs: Self.milliseconds(since: start), modelID: model.id))
    }

    /// Classifies one digit image that is already model input (28×28, ink = 1).
    public func classify(image: GrayImage) -> DigitPrediction {
        DigitPrediction(probabilities: model.predict(image.pixels), input: image)
    }

    /// Classifies one digit of a picture or photo (already model input): the image model, averaged
    /// with the picture model when there is one.
    public func classify(pictureDigit image: GrayImage) -> DigitPrediction {
        guard let pictureModel else { return classify(image: image) }
        let a = model.predict(image.pixels), b = pictureModel.predict(image.pixels)
        return DigitPrediction(probabilities: zip(a, b).map { ($0 + $1) / 2 }, input: image)
    }

    /// Recognizes digit images that are already model input, e.g. from a picture's segmentation.
    public func recognize(images: [GrayImage], since start: DispatchTime = .now()) -> Recognition {
        Recognition(digits: images.map(classify(pictureDigit:)), latencyMs: Self.milliseconds(since: start), modelID: model.id)
    }

    private func classify(drawing: Drawing) throws -> DigitPrediction {
        let image = try classifyImage(drawing: drawing)
        guard let trajectoryModel, trajectoryModel.card.fusionWeight > 0 else { return image }
        let fused = PenTrajectoryModel.fuse(image: image.probabilities, trajectory: try trajectoryModel.predict(drawing),
                                            weight: trajectoryModel.card.fusionWeight)
        return DigitPrediction(probabilities: fused, input: image.input)
    }

    private func classifyImage(drawing: Drawing) throws -> DigitPrediction {
        guard let tta = testTimeAugmentation else {
            return classify(image: try normalizer.normalize(drawing))
        }
        let variants = try tta.variants(of: drawing, normalizer: normalizer)
        var sum = [Float](repeating: 0, count: model.classes.count)
        for v in variants {
            let p = model.predict(v.pixels)
            for i in sum.indices { sum[i] += p[i] }
        }
        return DigitPrediction(probabilities: sum.map { $0 / Float(variants.count) }, input: variants[0])
    }

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }
}

extension Recognizer {
    /// Recognizes a decoded picture: ink extracted (polarity, paper texture), split into digits,
    /// each normalized the MNIST way. Throws `PictureError.noInk` for a blank picture.
    public func recognize(picture: DecodedImage, pictureNormalizer: PictureNormalizer = PictureNormalizer(),
                          multiDigit: Bool = true) throws -> Recognition {
        let start = DispatchTime.now()
        let inputs = multiDigit
            ? try pictureNormalizer.modelInputs(from: picture)
            : [try pictureNormalizer.normalize(pictureNormalizer.inkImage(from: picture))]
        return try checked(recognize(images: inputs, since: start))
    }

    /// A model whose weights passed loading can still overflow on some input; such a result is
    /// an error, never a digit with a NaN confidence.
    func checked(_ recognition: Recognition) throws -> Recognition {
        for digit in recognition.digits where !digit.probabilities.allSatisfy(\.isFinite) {
            throw RecognitionError.nonFiniteOutput(modelID: model.id)
        }
        return recognition
    }

    /// Reads a PNG or JPEG file and recognizes it (photos through the photo reader, whatever the format).
    public func recognize(pngAt path: String, multiDigit: Bool = true) throws -> Recognition {
        try recognize(pictureAt: path, multiDigit: multiDigit)
    }
}
