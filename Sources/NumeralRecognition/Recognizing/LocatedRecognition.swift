import Foundation
import NumeralVision

/// A recognition and where each of its digits is in the picture it came from.
public struct LocatedRecognition: Equatable, Sendable {
    public var recognition: Recognition
    /// One box per digit of `recognition`, in the same order, in the picture's own pixels.
    public var boxes: [PhotoBox]

    public init(recognition: Recognition, boxes: [PhotoBox]) {
        self.recognition = recognition
        self.boxes = boxes
    }
}

extension Recognizer {
    /// Recognizes a decoded picture exactly like `recognize(picture:format:)` (photos through the
    /// photo reader, other pictures through the picture normalizer) and also says where each
    /// digit is. Throws `PictureError.noInk` when there is no digit.
    public func locate(picture: DecodedImage, format: PictureFile.Format, forcePhoto: Bool = false) throws -> LocatedRecognition {
        if Self.isPhoto(picture, format: format, forcePhoto: forcePhoto) {
            let photo = read(photo: picture)
            guard !photo.isEmpty else { throw PictureError.noInk(width: picture.width, height: picture.height) }
            return LocatedRecognition(recognition: try checked(photo.recognition), boxes: photo.numbers.flatMap(\.boxes))
        }
        let start = DispatchTime.now()
        let digits = try PictureNormalizer().digits(from: picture)
        return LocatedRecognition(recognition: try checked(recognize(images: digits.map(\.input), since: start)),
                                  boxes: digits.map(\.box))
    }
}
