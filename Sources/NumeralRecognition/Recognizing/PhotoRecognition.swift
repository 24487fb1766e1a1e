import Foundation
import NumeralVision

/// One number read in a photo: its digits' verdicts and where each digit is.
public struct NumberRecognition: Equatable, Sendable {
    public var digits: [DigitPrediction]
    public var boxes: [PhotoBox]

    public init(digits: [DigitPrediction], boxes: [PhotoBox]) {
        self.digits = digits
        self.boxes = boxes
    }

    public var number: String { digits.map { String($0.digit) }.joined() }
    public var confidence: Float { digits.map(\.confidence).min() ?? 0 }
    public var box: PhotoBox { boxes.dropFirst().reduce(boxes[0]) { $0.union($1) } }
}

/// What a picture (a photo, a camera frame, a bitmap or a scan) was read as: every number in it,
/// top to bottom, each left to right, with boxes in the picture's pixels, which path read it and
/// why, and whether the reading is too unsure to trust. No numbers means it holds no digit.
public struct PhotoRecognition: Equatable, Sendable {
    public var numbers: [NumberRecognition]
    public var width: Int
    public var height: Int
    public var latencyMs: Double
    public var modelID: String
    /// Which path read the picture: the photo reader or the bitmap/scan path.
    public var kind: PictureContent.Kind
    /// Why that path: what the picture's content looked like, or that it was asked for.
    public var reason: String
    /// The least sure digit is below the recognizer's calibrated `unsureBelow`: show it as a guess.
    public var unsure: Bool

    public init(numbers: [NumberRecognition], width: Int, height: Int, latencyMs: Double, modelID: String,
                kind: PictureContent.Kind = .photo, reason: String = "read as a photo of paper", unsure: Bool = false) {
        self.numbers = numbers
        self.width = width
        self.height = height
        self.latencyMs = latencyMs
        self.modelID = modelID
        self.kind = kind
        self.reason = reason
        self.unsure = unsure
    }

    public var isEmpty: Bool { numbers.isEmpty }
    /// The numbers as text, separated by spaces ("42", "7 1984").
    public var text: String { numbers.map(\.number).joined(separator: " ") }
    /// The least sure digit's confidence (0 when there is none).
    public var confidence: Float { numbers.map(\.confidence).min() ?? 0 }

    /// All digits as one `Recognition` (for the log and the window's result panel).
    public var recognition: Recognition {
        Recognition(digits: numbers.flatMap(\.digits), latencyMs: latencyMs, modelID: modelID)
    }
}

extension Recognizer {
    /// Reads a photo of digits on paper (a camera frame, say) through the photo reader alone.
    /// A photo without digits gives an empty result, not an error.
    public func read(photo: DecodedImage, reader: PhotoReader = PhotoReader()) -> PhotoRecognition {
        let start = DispatchTime.now()
        let numbers = photoNumbers(photo, reader: reader)
        return PhotoRecognition(numbers: numbers, width: photo.width, height: photo.height,
                                latencyMs: Self.milliseconds(since: start), modelID: model.id,
                                kind: .photo, reason: "read as a photo of paper", unsure: isUnsure(numbers))
    }

    /// The one reader for every picture. With `.automatic`, the picture's content (not its file
    /// format) decides whether it is a clean bitmap/scan or a photo of paper (`PictureContent`);
    /// when that path finds no digit, the other one is tried, and `reason` says so. `.photo` and
    /// `.scan` force one path. An empty result means no digit was found either way.
    /// Throws `VisionError.tooManyDigits` for a picture of more digits than a number can hold and
    /// `RecognitionError.nonFiniteOutput` when the model overflows.
    public func read(picture: DecodedImage, route: PictureRoute = .automatic,
                     reader: PhotoReader = PhotoReader()) throws -> PhotoRecognition {
        let start = DispatchTime.now()
        let content: PictureContent? = route == .automatic ? PictureContent.assess(picture) : nil
        var kind: PictureContent.Kind = route == .scan ? .scan : route == .photo ? .photo : content?.kind ?? .photo
        var reason = content?.reason ?? "read as a \(kind == .scan ? "bitmap or scan" : "photo of paper"), as asked"
        var numbers = try numbers(in: picture, kind: kind, reader: reader)
        if numbers.isEmpty, route == .automatic {
            let other: PictureContent.Kind = kind == .photo ? .scan : .photo
            let second = try self.numbers(in: picture, kind: other, reader: reader)
            if !second.isEmpty {
                reason += "; no digit was found that way, so it was read as a \(other == .scan ? "bitmap or scan" : "photo of paper")"
                numbers = second
                kind = other
            }
        }
        for number in numbers { _ = try checked(Recognition(digits: number.digits, latencyMs: 0, modelID: model.id)) }
        return PhotoRecognition(numbers: numbers, width: picture.width, height: picture.height,
                                latencyMs: Self.milliseconds(since: start), modelID: model.id,
                                kind: kind, reason: reason, unsure: isUnsure(numbers))
    }

    /// Whether a reading is below the calibrated confidence (`unsureBelow`).
    func isUnsure(_ numbers: [NumberRecognition]) -> Bool {
        numbers.contains { $0.confidence < unsureBelow }
    }

    /// A photo read three ways, the model judging which reading to keep: the whole picture at
    /// working size (digits from 16 px up, away from the borders), the close-up reading (digits
    /// allowed to fill the frame and touch its borders), and the close-up without rule erasure
    /// (a tight crop's straight strokes look like rules). A close-up at 320 px was tried too: it
    /// changed nothing on the real development set and cost a synthetic photo, so it is not read.
    private func photoNumbers(_ photo: DecodedImage, reader: PhotoReader) -> [NumberRecognition] {
        guard !reader.closeUp else { return classified(reader.read(photo)) }
        let readings = reader.readings(photo)
        // The readings share most digits: each distinct model input is classified once.
        var seen: [(input: GrayImage, prediction: DigitPrediction)] = []
        func classifiedOnce(_ numbers: [PhotoNumber]) -> [NumberRecognition] {
            numbers.map { number in
                NumberRecognition(digits: number.digits.map { digit in
                    if let known = seen.first(where: { $0.input == digit.input }) { return known.prediction }
                    let prediction = classify(pictureDigit: digit.input)
                    seen.append((digit.input, prediction))
                    return prediction
                }, boxes: number.digits.map(\.box))
            }
        }
        var best = classifiedOnce(readings.whole)
        for other in [readings.closeUp, readings.closeUpKeepingRules] {
            best = Self.preferred(whole: best, closeUp: classifiedOnce(other))
        }
        return best
    }

    private func classified(_ numbers: [PhotoNumber]) -> [NumberRecognition] {
        numbers.map { number in
            NumberRecognition(digits: number.digits.map { classify(pictureDigit: $0.input) }, boxes: number.digits.map(\.box))
        }
    }

    /// Which of two readings of one photo to keep: the one that found something; when both did
    /// and they differ, the one that finds more digits if it is nearly as sure and none of its
    /// digits is a coin toss (it explains more of the ink: digits near a tight crop's borders),
    /// else the one the model is surer of (geometric mean of its digits' confidence), the
    /// whole-picture reading winning ties because its boxes are finer.
    static func preferred(whole: [NumberRecognition], closeUp: [NumberRecognition]) -> [NumberRecognition] {
        if whole.isEmpty { return closeUp }
        if closeUp.isEmpty { return whole }
        if whole.map(\.number) == closeUp.map(\.number) { return whole }
        let wholeScore = score(whole), closeScore = score(closeUp)
        let wholeCount = whole.flatMap(\.digits).count, closeCount = closeUp.flatMap(\.digits).count
        func decisive(_ numbers: [NumberRecognition]) -> Bool { numbers.allSatisfy { $0.confidence >= 0.5 } }
        if closeCount > wholeCount, closeScore >= wholeScore - moreDigitsSlack, decisive(closeUp) { return closeUp }
        if wholeCount > closeCount, wholeScore >= closeScore - moreDigitsSlack, decisive(whole) { return whole }
        return closeScore > wholeScore + closeUpMargin ? closeUp : whole
    }

    /// How much less sure a reading that finds more digits may be and still be kept.
    static let moreDigitsSlack: Float = 0.1

    /// How much surer the close-up reading must be to replace the whole-picture one.
    static let closeUpMargin: Float = 0.05

    static func score(_ numbers: [NumberRecognition]) -> Float {
        let confidences = numbers.flatMap(\.digits).map(\.confidence)
        guard !confidences.isEmpty else { return 0 }
        return exp(confidences.map { log(max(1e-6, $0)) }.reduce(0, +) / Float(confidences.count))
    }

    private func numbers(in picture: DecodedImage, kind: PictureContent.Kind, reader: PhotoReader) throws -> [NumberRecognition] {
        switch kind {
        case .photo:
            return photoNumbers(picture, reader: reader)
        case .scan:
            let digits: [PhotoDigit]
            do {
                digits = try PictureNormalizer().digits(from: picture)
            } catch PictureError.noInk {
                return []
            }
            return [NumberRecognition(digits: digits.map { classify(pictureDigit: $0.input) }, boxes: digits.map(\.box))]
        }
    }

    /// Reads a PNG or JPEG file and recognizes it (see `read(picture:route:)`).
    /// Throws `PictureError.noInk` when there is no digit.
    public func recognize(pictureAt path: String, multiDigit: Bool = true, route: PictureRoute = .automatic) throws -> Recognition {
        let (picture, _) = try PictureFile.read(path: path)
        return try recognize(picture: picture, multiDigit: multiDigit, route: route)
    }

    /// Recognizes a decoded picture with the one picture reader; with `multiDigit` false, the
    /// whole picture's ink is one digit. Throws `PictureError.noInk` when there is no digit.
    public func recognize(picture: DecodedImage, multiDigit: Bool, route: PictureRoute) throws -> Recognition {
        guard multiDigit else { return try recognize(picture: picture, multiDigit: false) }
        let reading = try read(picture: picture, route: route)
        guard !reading.isEmpty else { throw PictureError.noInk(width: picture.width, height: picture.height) }
        return reading.recognition
    }
}
