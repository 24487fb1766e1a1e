import Foundation
import NumeralVision

/// A recognition and where each of its digits is in the picture it came from.
public struct LocatedRecognition: Equatable, Sendable {
    public var recognition: Recognition
    /// One box per digit of `recognition`, in the same order, in the picture's own pixels.
    public var boxes: [PhotoBox]
    /// Which way the picture was read, and whether the reading is below the calibrated confidence.
    public var kind: PictureContent.Kind
    public var unsure: Bool

    public init(recognition: Recognition, boxes: [PhotoBox], kind: PictureContent.Kind = .scan, unsure: Bool = false) {
        self.recognition = recognition
        self.boxes = boxes
        self.kind = kind
        self.unsure = unsure
    }
}

extension Recognizer {
    /// Recognizes a decoded picture with the one picture reader (`read(picture:route:)`) and also
    /// says where each digit is. Throws `PictureError.noInk` when there is no digit.
    public func locate(picture: DecodedImage, route: PictureRoute = .automatic) throws -> LocatedRecognition {
        let reading = try read(picture: picture, route: route)
        guard !reading.isEmpty else { throw PictureError.noInk(width: picture.width, height: picture.height) }
        return LocatedRecognition(recognition: reading.recognition, boxes: reading.numbers.flatMap(\.boxes),
                                  kind: reading.kind, unsure: reading.unsure)
    }
}
