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

/// What a photo (or a camera frame) was read as: every number in it, top to bottom, each left
/// to right, with boxes in the picture's pixels. No numbers means the photo holds no digit.
public struct PhotoRecognition: Equatable, Sendable {
    public var numbers: [NumberRecognition]
    public var width: Int
    public var height: Int
    public var latencyMs: Double
    public var modelID: String

    public init(numbers: [NumberRecognition], width: Int, height: Int, latencyMs: Double, modelID: String) {
        self.numbers = numbers
        self.width = width
        self.height = height
        self.latencyMs = latencyMs
        self.modelID = modelID
    }

    public var isEmpty: Bool { numbers.isEmpty }
    /// The numbers as text, separated by spaces ("42", "7 1984").
    public var text: String { numbers.map(\.number).joined(separator: " ") }

    /// All digits as one `Recognition` (for the log and the window's result panel).
    public var recognition: Recognition {
        Recognition(digits: numbers.flatMap(\.digits), latencyMs: latencyMs, modelID: modelID)
    }
}

extension Recognizer {
    /// Reads a photo of digits on paper. A photo without digits gives an empty result, not an error.
    public func read(photo: DecodedImage, reader: PhotoReader = PhotoReader()) -> PhotoRecognition {
        let start = DispatchTime.now()
        let numbers = reader.read(photo).map { number in
            NumberRecognition(digits: number.digits.map { classify(pictureDigit: $0.input) }, boxes: number.digits.map(\.box))
        }
        return PhotoRecognition(numbers: numbers, width: photo.width, height: photo.height,
                                latencyMs: Self.milliseconds(since: start), modelID: model.id)
    }

    /// Whether a picture goes through the photo reader: JPEGs (phone and camera pictures) of at
    /// least 64 px a side, or any picture when `forcePhoto` is set. Other pictures (bitmaps,
    /// scans of a single digit, MNIST-like images in either polarity) take the picture path.
    public static func isPhoto(_ picture: DecodedImage, format: PictureFile.Format, forcePhoto: Bool = false) -> Bool {
        forcePhoto || (format == .jpeg && min(picture.width, picture.height) >= 64)
    }

    /// Reads a PNG or JPEG file and recognizes it, routing photos through the photo reader.
    /// Throws `PictureError.noInk` when there is no digit.
    public func recognize(pictureAt path: String, multiDigit: Bool = true, forcePhoto: Bool = false) throws -> Recognition {
        let (picture, format) = try PictureFile.read(path: path)
        return try recognize(picture: picture, format: format, multiDigit: multiDigit, forcePhoto: forcePhoto)
    }

    /// Recognizes a decoded picture, routing photos through the photo reader.
    public func recognize(picture: DecodedImage, format: PictureFile.Format, multiDigit: Bool = true,
                          forcePhoto: Bool = false) throws -> Recognition {
        guard Self.isPhoto(picture, format: format, forcePhoto: forcePhoto) else {
            return try recognize(picture: picture, multiDigit: multiDigit)
        }
        let photo = read(photo: picture)
        guard !photo.isEmpty else { throw PictureError.noInk(width: picture.width, height: picture.height) }
        return photo.recognition
    }
}
